using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Push.Grains;
using Push.Grains.Messages;
using Push.Shared.Crypto;
using Push.Silo.Hosting;

namespace Push.Silo.Keys;

/// <summary>
/// Tells the cluster which keys this process's frontends hold and checks them against every other
/// frontend's, at start-up and then every 30 seconds. A mismatch is logged as an error and shown on
/// the health routes (instead of every push silently failing with 404).
/// </summary>
internal sealed partial class KeyConsistencyMonitor(
    PushConfiguration configuration,
    IGrainFactory grains,
    KeyConsistency consistency,
    TimeProvider time,
    ILogger<KeyConsistencyMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);
    private readonly string _processId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                await CheckAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCheckFailed(e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task CheckAsync()
    {
        var registry = grains.GetGrain<IKeyRegistryGrain>(0);
        var now = time.GetUtcNow();
        IReadOnlyList<KeyReport> reports = [];
        if (configuration.Role is HostRole.All or HostRole.Connect)
        {
            reports = await registry.ReportAsync(new KeyReport(_processId + "/c", KeyReport.ConnectRole, configuration.Connect.CryptoKeys.Fingerprints, now));
        }

        if (configuration.Role is HostRole.All or HostRole.Endpoint)
        {
            reports = await registry.ReportAsync(new KeyReport(_processId + "/e", KeyReport.EndpointRole, configuration.Endpoint.CryptoKeys.Fingerprints, now));
        }

        var problem = KeyReport.FindMismatch(reports);
        if (problem is not null && problem != consistency.Problem)
        {
            LogMismatch(problem);
        }

        consistency.Problem = problem;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Crypto key mismatch in the cluster: {Problem}")]
    private partial void LogMismatch(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not compare crypto keys with the cluster: {Reason}")]
    private partial void LogCheckFailed(string reason);
}
