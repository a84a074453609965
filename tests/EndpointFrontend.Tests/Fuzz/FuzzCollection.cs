namespace Push.EndpointFrontend.Tests.Fuzz;

/// <summary>
/// The fuzz tests compare the process's managed memory before and after: they run alone, after the
/// other tests of this assembly, so that no other host's allocations count against them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "Fuzz";
}
