namespace Push.ConnectFrontend.Cluster;

/// <summary>How the connect frontend watches the cluster.</summary>
public sealed class ClusterWatcherOptions
{
    /// <summary>How often the active silos are read; a silo declared dead is noticed within this time.</summary>
    public TimeSpan MembershipPollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
