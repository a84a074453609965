using Orleans.Concurrency;
using Push.Grains.Messages;
using Push.Grains.Storage;

namespace Push.Grains.Acks;

/// <summary>Stateless: runs on the silo the batch arrived at, several calls at once.</summary>
[StatelessWorker]
[Reentrant]
internal sealed class AckGrain(IMessageStore store) : Grain, IAckGrain
{
    public Task AckAsync(IReadOnlyList<UserAcks> acks)
    {
        foreach (var user in acks)
        {
            if (user.Messages.Any(m => m.Topic is not null))
            {
                throw new ArgumentException("Topic messages are acknowledged through the user's grain.", nameof(acks));
            }
        }

        return store.RemoveAsync(acks);
    }
}
