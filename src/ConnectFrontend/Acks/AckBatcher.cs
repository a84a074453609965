using Push.Grains;
using Push.Grains.Messages;
using Push.Shared.Batching;

namespace Push.ConnectFrontend.Acks;

/// <summary>
/// Acks of every session on this frontend, sent to the store together: one grain call and one
/// store round trip carry the acks that arrived while the previous batch was on its way, instead of
/// one call per ack to each user's grain. Topic messages still go to their user's grain, which
/// checks that the acked version is still the stored one.
/// </summary>
internal sealed class AckBatcher(IGrainFactory grains, TimeProvider time)
{
    /// <summary>
    /// A batch sent through a gateway that just died gets no answer until Orleans' response timeout,
    /// and every session's acks wait behind it: give up sooner. The acks stay pending in their
    /// sessions and go again with the next batch (removing a message twice is harmless).
    /// </summary>
    internal static readonly TimeSpan BatchTimeout = TimeSpan.FromSeconds(2);

    private readonly SerialBatcher<UserAcks> _batches = new((batch, _) =>
        grains.GetGrain<IAckGrain>(0).AckAsync(batch).WaitAsync(BatchTimeout, time));

    /// <summary>Completes once the messages are removed; fails if they may not be.</summary>
    public Task AckAsync(Guid uaid, IReadOnlyList<AckedMessage> acked)
    {
        List<MessageRef>? plain = null;
        List<AckedMessage>? topical = null;
        foreach (var message in acked)
        {
            if (message.Ref.Topic is null)
            {
                (plain ??= []).Add(message.Ref);
            }
            else
            {
                (topical ??= []).Add(message);
            }
        }

        var batched = plain is null ? Task.CompletedTask : _batches.AddAsync(new UserAcks(uaid, plain));
        return topical is null ? batched : Task.WhenAll(batched, grains.GetClientGrain(uaid).AckAsync(topical));
    }
}
