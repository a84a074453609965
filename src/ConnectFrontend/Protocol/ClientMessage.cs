using Push.Grains.Messages;

namespace Push.ConnectFrontend.Protocol;

/// <summary>A message a client sends (Mozilla Push protocol, plus Sunup's <c>urgency</c>).</summary>
internal abstract record ClientMessage;

internal sealed record HelloMessage(string? Uaid, IReadOnlyDictionary<string, string> Broadcasts) : ClientMessage;

internal sealed record RegisterMessage(string ChannelId, string? Key) : ClientMessage;

internal sealed record UnregisterMessage(Guid ChannelId, long? Code) : ClientMessage;

internal sealed record BroadcastSubscribeMessage(IReadOnlyDictionary<string, string> Broadcasts) : ClientMessage;

internal sealed record AckMessage(IReadOnlyList<AckUpdate> Updates) : ClientMessage;

internal sealed record AckUpdate(Guid ChannelId, string Version, int? Code);

internal sealed record NackMessage(string Version, long? Code) : ClientMessage;

internal sealed record PingMessage : ClientMessage
{
    public static readonly PingMessage Instance = new();
}

/// <summary>Sunup's extension: only deliver messages of at least this urgency (null: an unknown value).</summary>
internal sealed record UrgencyMessage(Urgency? Minimum) : ClientMessage;
