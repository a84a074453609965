using Microsoft.Extensions.Logging;
using Push.Grains;
using Push.Grains.Messages;
using Push.Shared.Batching;

namespace Push.ConnectFrontend.Acks;

/// <summary>
/// Acks of every session on this frontend, sent to the store together: one grain call and one
/// store round trip carry the acks that arrived while the previous batch was on its way, instead of
/// one call per ack to each user's grain. Topic messages still go to their user's grain, which
/// checks that the acked version is still the stored one. Acks of ended sessions that the store did
/// not take are retried here (<see cref="AckRetries"/>).
/// </summary>
internal sealed class AckBatcher : IDisposable
{
    /// <summary>
    /// A batch sent through a gateway that just died gets no answer until Orleans' response timeout,
    /// and every session's acks wait behind it: give up sooner. The acks stay pending in their
    /// sessions and go again with the next batch (removing a message twice is harmless).
    /// </summary>
    internal static readonly TimeSpan BatchTimeout = TimeSpan.FromSeconds(2);

    private readonly IGrainFactory _grains;
    private readonly SerialBatcher<UserAcks> _batches;
    private readonly AckRetries _retries;

    public AckBatcher(IGrainFactory grains, TimeProvider time, AckRetryOptions retryOptions, ILogger<AckRetries> retryLogger)
    {
        _grains = grains;
        _batches = new((batch, cancellation) => grains.GetGrain<IAckGrain>(0).AckAsync(batch).WaitAsync(BatchTimeout, time, cancellation));
        _retries = new AckRetries(AckAsync, retryOptions, time, retryLogger);
    }

    /// <summary>Acked messages of ended sessions waiting for a retry.</summary>
    public int RetryCount => _retries.Count;

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
        return topical is null ? batched : Task.WhenAll(batched, _grains.GetClientGrain(uaid).AckAsync(topical));
    }

    /// <summary>Takes acks a session that is ending could not get into the store, and retries them for a while.</summary>
    public void AckLater(Guid uaid, IReadOnlyCollection<AckedMessage> acked) => _retries.Add(uaid, acked);

    public void Dispose() => _retries.Dispose();
}
