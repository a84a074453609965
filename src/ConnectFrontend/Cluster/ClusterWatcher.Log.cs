using Microsoft.Extensions.Logging;

namespace Push.ConnectFrontend.Cluster;

internal sealed partial class ClusterWatcher
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} silo(s) left the cluster; {Sessions} sessions renew with their grains")]
    private static partial void LogSilosLeft(ILogger logger, int count, int sessions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connected gateways went from {Previous} to {Current}; {Sessions} sessions renew with their grains")]
    private static partial void LogGatewayLost(ILogger logger, int previous, int current, int sessions);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading the cluster membership failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
