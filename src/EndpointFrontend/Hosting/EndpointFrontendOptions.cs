using Push.Shared.Settings;

namespace Push.EndpointFrontend.Hosting;

/// <summary>Everything the endpoint frontend needs to know about itself.</summary>
public sealed class EndpointFrontendOptions
{
    public required EndpointSettings Settings { get; init; }

    /// <summary>
    /// Origins a VAPID <c>aud</c> may name: this endpoint's own, plus the origin of the URLs the connect
    /// frontend hands out when both run in one process with different public names.
    /// </summary>
    public required IReadOnlyCollection<string> Audiences { get; init; }

    /// <summary>The optional per-subscription push limit; null: no limit (autopush's behaviour).</summary>
    public PushRateLimit? RateLimit { get; init; }

    /// <summary>The origin used in <c>Location: {origin}/m/{message id}</c>.</summary>
    public required string LocationOrigin { get; init; }
}

/// <summary>At most <paramref name="PerMinute"/> pushes a minute to one subscription, in bursts of up to <paramref name="Burst"/>.</summary>
public sealed record PushRateLimit(int PerMinute, int Burst);
