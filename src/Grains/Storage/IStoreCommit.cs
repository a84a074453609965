namespace Push.Grains.Storage;

/// <summary>
/// Makes the store's acknowledged writes durable. A store that syncs before it replies (Redis with
/// <c>appendfsync always</c>) needs nothing more; the embedded store replies first and syncs in groups,
/// so a caller that promises durability (a 201, a registration) waits here after its write.
/// </summary>
public interface IStoreCommit
{
    /// <summary>Completes once every write this process has seen acknowledged is on disk.</summary>
    Task WaitAsync();
}

/// <summary>For stores whose reply already means "on disk".</summary>
internal sealed class SyncedOnReply : IStoreCommit
{
    public Task WaitAsync() => Task.CompletedTask;
}
