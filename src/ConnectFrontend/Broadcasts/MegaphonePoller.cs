using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Sessions;

namespace Push.ConnectFrontend.Broadcasts;

/// <summary>
/// Reads broadcast versions from <c>megaphone_api_url</c> (<c>{"broadcasts": {"id": "version"}}</c>):
/// once at start-up, which must succeed as in the reference, then every <c>megaphone_poll_interval</c>.
/// A failed poll is logged and the previous versions stay.
/// </summary>
internal sealed partial class MegaphonePoller(ConnectFrontendOptions options, BroadcastTracker tracker, ILogger<MegaphonePoller> logger) : BackgroundService
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionIdleTimeout = options.Settings.PoolIdleTimeout,
        MaxConnectionsPerServer = Math.Max(1, options.Settings.PoolMaxIdlePerHost),
    })
    { Timeout = RequestTimeout };

    private Uri Source => options.Settings.MegaphoneApiUrl!;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Settings.MegaphoneApiUrl is null)
        {
            return;
        }

        try
        {
            tracker.Apply(await FetchAsync(cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or InvalidDataException)
        {
            throw new InvalidOperationException($"megaphone_api_url ({Source}) could not be read at start-up: {e.Message}", e);
        }

        tracker.Enabled = true;
        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Settings.MegaphonePollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                tracker.Apply(await FetchAsync(stoppingToken));
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or InvalidDataException && !stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(Source, e.Message);
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> FetchAsync(CancellationToken cancellationToken)
    {
        var body = await _http.GetFromJsonAsync<MegaphoneResponse>(Source, cancellationToken)
            ?? throw new InvalidDataException("empty answer");
        return body.Broadcasts ?? throw new InvalidDataException("no \"broadcasts\" object");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading broadcasts from {Source} failed: {Reason}")]
    private partial void LogPollFailed(Uri source, string reason);

    private sealed record MegaphoneResponse(Dictionary<string, string>? Broadcasts);
}
