using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Sessions;

namespace Push.ConnectFrontend.Cluster;

/// <summary>
/// Notices when a silo leaves the cluster and has every session renew with its grain within a second or
/// two, instead of at its next periodic renewal: the grains of that silo are gone with their observers,
/// and pushes accepted for their users wait until a renewal re-activates them. Two sources: the
/// membership (silos the cluster declared dead, polled through the management grain, which a
/// cluster client can reach like any grain), and, in a frontend process, the Orleans client losing a
/// gateway (at once, before the cluster has decided).
/// </summary>
internal sealed partial class ClusterWatcher(IGrainFactory grains, SessionRegistry sessions, ClusterWatcherOptions options, TimeProvider time, ILogger<ClusterWatcher> logger)
    : BackgroundService
{
    private HashSet<SiloAddress>? _active;

    /// <summary>
    /// The Orleans client's <see cref="GatewayCountChangedHandler"/>. Static: the client builds its handlers
    /// while it is itself being built, so this must not need the grain factory.
    /// </summary>
    public static GatewayCountChangedHandler GatewayHandler(SessionRegistry sessions, ILogger logger) => (_, e) =>
    {
        if (e.NumberOfConnectedGateways < e.PreviousNumberOfConnectedGateways)
        {
            LogGatewayLost(logger, e.PreviousNumberOfConnectedGateways, e.NumberOfConnectedGateways, sessions.RepairAll());
        }
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.MembershipPollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PollAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Compares the active silos with the last poll; a silo gone from them means repairs.</summary>
    internal async Task PollAsync()
    {
        Dictionary<SiloAddress, SiloStatus> hosts;
        try
        {
            hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        }
        catch (Exception e)
        {
            // The management grain may itself have been on the silo that died; the next poll finds it again.
            LogPollFailed(logger, e);
            return;
        }

        var active = hosts.Where(h => h.Value == SiloStatus.Active).Select(h => h.Key).ToHashSet();
        var left = _active?.Count(silo => !active.Contains(silo)) ?? 0;
        _active = active;
        if (left > 0)
        {
            LogSilosLeft(logger, left, sessions.RepairAll());
        }
    }
}
