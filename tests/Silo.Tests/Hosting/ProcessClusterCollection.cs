namespace Push.Silo.Tests.Hosting;

/// <summary>
/// Tests that need the machine or the test process to themselves run one at a time, after the others:
/// clusters of Push processes under load time their faults against a clock, and a metrics scrape
/// would also count the instruments of other hosts running in this process (meters are found by name).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessClusterCollection
{
    public const string Name = "Process clusters";
}
