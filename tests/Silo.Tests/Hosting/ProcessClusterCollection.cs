namespace Push.Silo.Tests.Hosting;

/// <summary>
/// Tests that run whole clusters of Push processes under load time their faults against a clock; they
/// run one at a time, after the other tests, so that they do not compete with each other for the cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessClusterCollection
{
    public const string Name = "Process clusters";
}
