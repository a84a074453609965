namespace Push.Testing.Streams;

/// <summary>A real way for a test to make Push's store unreachable, and reachable again.</summary>
public interface IStoreOutage
{
    string Describe { get; }

    /// <summary>The store can no longer be reached (what was written before stays).</summary>
    Task BreakAsync();

    /// <summary>The store can be reached again, with what it held.</summary>
    Task RestoreAsync();
}
