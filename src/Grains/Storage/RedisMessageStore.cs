using System.Text.Json;
using Microsoft.Extensions.Options;
using Push.Grains.Messages;
using StackExchange.Redis;

namespace Push.Grains.Storage;

/// <summary>
/// The message queue on Redis (or the embedded Garnet): a sorted-set index plus one expiring string
/// per message. Saving, acking and expiring a message are O(log n) in the queue length. Every
/// operation tells <see cref="StoreStatus"/> whether the store answered.
/// </summary>
internal sealed partial class RedisMessageStore(IConnectionMultiplexer redis, IStoreCommit commit, StoreStatus status, IOptions<MessageStoreOptions> options) : IMessageStore
{
    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly TimeSpan _queueExpiry = options.Value.QueueExpiry;

    private IDatabase Db => redis.GetDatabase();

    public async Task<StoreResult> SaveAsync(Guid uaid, Notification notification, int limit)
    {
        var queue = MessageKeys.Queue(_prefix, uaid);
        var member = MessageKeys.Member(notification.Ref);
        var body = MessageKeys.Body(_prefix, uaid, member);
        var json = JsonSerializer.SerializeToUtf8Bytes(StoredMessage.From(notification), StoredMessageJsonContext.Default.StoredMessage);

        // One round trip of plain commands, sent together: the body (only if new, unless it replaces a
        // topic message), its index entry, the queue's expiry and its length. Commands run in order
        // on the connection, and only this user's grain writes its queue, so no script is needed
        // (scripts cost the embedded store far more than the commands they run).
        var ttl = TimeSpan.FromSeconds(notification.Ttl);
        var batch = Db.CreateBatch();
        var stored = notification.Topic is null
            ? batch.StringSetAsync(body, json, ttl, When.NotExists)
            : batch.StringSetAsync(body, json, ttl);
        var indexed = batch.SortedSetAddAsync(queue, member, notification.SortKey);
        // The index must outlive this message even if this process's max TTL is lower than the sender's.
        var expiring = batch.KeyExpireAsync(queue, Max(_queueExpiry, ttl + MessageStoreOptions.QueueExpiryMargin));
        var length = batch.SortedSetLengthAsync(queue);
        await RunBatch(batch, stored, indexed, expiring, length);
        if (!await stored && !await IsSameBodyAsync(body, json))
        {
            // Another process minted the same sort key for this channel (the index entry it already
            // has is untouched: same member, same score). The caller retries with a new sort key.
            return new StoreResult(Conflict: true, Evicted: 0);
        }

        var count = await length;
        var excess = (int)(count - limit);
        var evicted = 0;
        StoreUnavailableException? evictionFailure = null;
        try
        {
            evicted = excess > 0 ? await EvictOldestAsync(uaid, queue, excess, member) : 0;
        }
        catch (StoreUnavailableException e)
        {
            // The message is saved: failing now would make the sender store it again. The queue is
            // over its cap until the next save, which evicts the whole excess.
            evictionFailure = e;
        }

        await CommitAsync();
        return new StoreResult(Conflict: false, Evicted: evicted) { EvictionFailure = evictionFailure, QueueLength = count - evicted };
    }

    public async Task<FetchResult> FetchAsync(Guid uaid, long afterSortKey, int limit, long nowSeconds)
    {
        var queue = MessageKeys.Queue(_prefix, uaid);
        var members = await Run(() => Db.SortedSetRangeByScoreAsync(queue, afterSortKey, double.PositiveInfinity, Exclude.Start, Order.Ascending, 0, limit));
        if (members.Length == 0)
        {
            return new FetchResult([], 0);
        }

        var keys = Array.ConvertAll(members, m => MessageKeys.Body(_prefix, uaid, m.ToString()));
        var bodies = await Run(() => Db.StringGetAsync(keys));
        var result = new List<Notification>(members.Length);
        var stale = new List<RedisValue>();
        for (var i = 0; i < members.Length; i++)
        {
            var stored = bodies[i].IsNull ? null : Deserialize(bodies[i]);
            if (stored is null || stored.IsExpired(nowSeconds))
            {
                stale.Add(members[i]);
                continue;
            }

            result.Add(stored);
        }

        if (stale.Count > 0)
        {
            await RemoveMembersAsync(uaid, queue, stale);
        }

        return new FetchResult(result, stale.Count);
    }

    public async Task<int> CountAsync(Guid uaid) =>
        (int)await Run(() => Db.SortedSetLengthAsync(MessageKeys.Queue(_prefix, uaid)));

    public async Task RemoveAckedAsync(Guid uaid, IReadOnlyList<AckedMessage> messages)
    {
        var queue = MessageKeys.Queue(_prefix, uaid);
        var remove = new List<RedisValue>(messages.Count);
        foreach (var acked in messages)
        {
            var member = MessageKeys.Member(acked.Ref);
            if (acked.Ref.Topic is not null)
            {
                // A newer message may have replaced this topic since it was sent: keep that one.
                var current = await Run(() => Db.StringGetAsync(MessageKeys.Body(_prefix, uaid, member)));
                if (!current.IsNull && Deserialize(current) is { } stored && stored.Version != acked.Version)
                {
                    continue;
                }
            }

            remove.Add(member);
        }

        if (remove.Count > 0)
        {
            await RemoveMembersAsync(uaid, queue, remove);
        }
    }

    public async Task RemoveAsync(Guid uaid, MessageRef message)
    {
        await RemoveMembersAsync(uaid, MessageKeys.Queue(_prefix, uaid), [MessageKeys.Member(message)]);
        await CommitAsync();
    }

    public async Task RemoveAsync(IReadOnlyList<UserAcks> messages)
    {
        var batch = Db.CreateBatch();
        var removals = new List<Task>(messages.Count * 2);
        foreach (var user in messages)
        {
            var members = user.Messages.Select(m => (RedisValue)MessageKeys.Member(m)).ToArray();
            removals.Add(batch.SortedSetRemoveAsync(MessageKeys.Queue(_prefix, user.Uaid), members));
            removals.Add(batch.KeyDeleteAsync([.. members.Select(m => MessageKeys.Body(_prefix, user.Uaid, m.ToString()))]));
        }

        await RunBatch(batch, [.. removals]);
    }

    public async Task<IReadOnlyList<Guid>> LoadChannelsAsync(Guid uaid)
    {
        var fields = await Run(() => Db.HashKeysAsync(MessageKeys.Channels(_prefix, uaid)));
        var channels = new List<Guid>(fields.Length);
        foreach (var field in fields)
        {
            if (Guid.TryParse(field.ToString(), out var channelId))
            {
                channels.Add(channelId);
            }
        }

        return channels;
    }

    public async Task AddChannelsAsync(Guid uaid, IReadOnlyCollection<Guid> channelIds, TimeSpan expiry)
    {
        var key = MessageKeys.Channels(_prefix, uaid);
        var entries = channelIds.Select(c => new HashEntry(c.ToString("D"), 1)).ToArray();
        var batch = Db.CreateBatch();
        var added = batch.HashSetAsync(key, entries);
        var expiring = batch.KeyExpireAsync(key, expiry);
        await RunBatch(batch, added, expiring);
        await CommitAsync();
    }

    public async Task ExpireChannelsAsync(Guid uaid, TimeSpan expiry)
    {
        await Run(() => Db.KeyExpireAsync(MessageKeys.Channels(_prefix, uaid), expiry));
        await CommitAsync();
    }

    public async Task RemoveChannelAsync(Guid uaid, Guid channelId)
    {
        await Run(() => Db.HashDeleteAsync(MessageKeys.Channels(_prefix, uaid), channelId.ToString("D")));
        var queue = MessageKeys.Queue(_prefix, uaid);
        var members = await Run(() => Db.SortedSetRangeByRankAsync(queue));
        var ofChannel = members.Where(m => MessageKeys.BelongsTo(m.ToString(), channelId)).ToList();
        if (ofChannel.Count > 0)
        {
            await RemoveMembersAsync(uaid, queue, ofChannel);
        }

        await CommitAsync();
    }

    public async Task DeleteAllAsync(Guid uaid)
    {
        var queue = MessageKeys.Queue(_prefix, uaid);
        var members = await Run(() => Db.SortedSetRangeByRankAsync(queue));
        var keys = members.Select(m => MessageKeys.Body(_prefix, uaid, m.ToString())).Append(queue).Append(MessageKeys.Channels(_prefix, uaid)).ToArray();
        await Run(() => Db.KeyDeleteAsync(keys));
        await CommitAsync();
    }

    public Task PingAsync() => Run(() => Db.PingAsync());

    /// <summary>
    /// Evicts the <paramref name="excess"/> lowest sort keys, never <paramref name="saved"/>: endpoint
    /// processes' clocks differ, so the message just accepted may well have the lowest one.
    /// </summary>
    private async Task<int> EvictOldestAsync(Guid uaid, RedisKey queue, int excess, RedisValue saved)
    {
        var oldest = await Run(() => Db.SortedSetRangeByRankAsync(queue, 0, excess));
        var evict = oldest.Where(m => m != saved).Take(excess).ToList();
        await RemoveMembersAsync(uaid, queue, evict);
        return evict.Count;
    }

    /// <summary>
    /// Saving the very same message again (a retried call whose first attempt did land) is not a
    /// clash: it succeeds without a second copy, so a retry never delivers a message twice.
    /// </summary>
    private async Task<bool> IsSameBodyAsync(RedisKey body, byte[] json)
    {
        var current = await Run(() => Db.StringGetAsync(body));
        return !current.IsNull && ((ReadOnlyMemory<byte>)current).Span.SequenceEqual(json);
    }

    // Index entries first, then bodies, sent together: a reader between the two sees an entry without
    // a body at worst, which it treats as expired.
    private async Task RemoveMembersAsync(Guid uaid, RedisKey queue, IReadOnlyCollection<RedisValue> members)
    {
        var batch = Db.CreateBatch();
        var unindexed = batch.SortedSetRemoveAsync(queue, [.. members]);
        var deleted = batch.KeyDeleteAsync([.. members.Select(m => MessageKeys.Body(_prefix, uaid, m.ToString()))]);
        await RunBatch(batch, unindexed, deleted);
    }

    /// <summary>Waits for the writes to be durable (the embedded store's group sync); a failed sync counts as the store failing.</summary>
    private async Task CommitAsync()
    {
        try
        {
            await commit.WaitAsync();
        }
        catch (StoreUnavailableException e)
        {
            status.Failed(e);
            throw;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static Notification? Deserialize(RedisValue value)
    {
        try
        {
            return JsonSerializer.Deserialize((byte[])value!, StoredMessageJsonContext.Default.StoredMessage)?.ToNotification();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Sends the batch inside Run: with no connection it throws as it is sent, before any command leaves.</summary>
    private Task RunBatch(IBatch batch, params Task[] commands) => Run(() =>
    {
        batch.Execute();
        return Task.WhenAll(commands);
    });

    private Task Run(Func<Task> operation) => Run(async () =>
    {
        await operation();
        return true;
    });

    private async Task<T> Run<T>(Func<Task<T>> operation)
    {
        T result;
        try
        {
            result = await operation();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            throw Unavailable(e);
        }

        status.Answered();
        return result;
    }

    private StoreUnavailableException Unavailable(Exception cause)
    {
        status.Failed(cause);
        return new StoreUnavailableException("The message store did not answer: " + cause.Message, cause);
    }
}
