using Push.Grains.Storage;
using Push.Shared.Batching;

namespace Push.Silo.Store;

/// <summary>
/// Group commit: callers that need their acknowledged writes on disk wait here, and one sync covers
/// every caller that arrived before it started. While a sync runs, new callers gather for the next
/// one, so the number of syncs per second is bounded by the disk, not by the number of writes.
/// </summary>
public sealed class GroupCommit(Func<CancellationToken, ValueTask> sync) : IStoreCommit
{
    private readonly SerialBatcher<bool> _syncs = new(async (_, cancel) =>
    {
        try
        {
            // Everything acknowledged before this call is in the log's tail, so this sync covers it.
            await sync(cancel);
        }
        catch (Exception e)
        {
            throw new StoreUnavailableException("The store could not sync its log: " + e.Message, e);
        }
    });

    public Task WaitAsync() => _syncs.AddAsync(true);
}
