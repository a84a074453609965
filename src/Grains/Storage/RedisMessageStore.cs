using System.Text.Json;
using Microsoft.Extensions.Options;
using Push.Grains.Messages;
using StackExchange.Redis;

namespace Push.Grains.Storage;

/// <summary>
/// The message queue on Redis (or the embedded Garnet): a sorted-set index plus one expiring string
/// per message. Saving, acking and expiring a message are O(log n) in the queue length.
/// </summary>
internal sealed class RedisMessageStore(IConnectionMultiplexer redis, IStoreCommit commit, IOptions<MessageStoreOptions> options) : IMessageStore
{
    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly TimeSpan _queueExpiry = options.Value.QueueExpiry;

    /// <summary>
    /// Saves a message in one atomic round trip: the body (only if new, unless it replaces a topic
    /// message; sort keys are unique per sender process, and this catches the rare clash between two
    /// processes), its index entry and the queue's expiry. Returns the queue length, or -1 on a clash.
    /// Saving the very same message again (a retried call whose first attempt did land) is not a clash:
    /// it succeeds without storing a second copy, so a retry never delivers a message twice.
    /// One round trip matters: with fsync on every write, each round trip waits for the disk, and a
    /// WATCH-based transaction would also hold the shared connection for two of them.
    /// </summary>
    private const string SaveScript = """
        if ARGV[6] == '1' then
          if not redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX') then
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
          end
        else
          redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
        end
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
        redis.call('EXPIRE', KEYS[2], ARGV[5])
        return redis.call('ZCARD', KEYS[2])
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<StoreResult> SaveAsync(Guid uaid, Notification notification, int limit)
    {
        var queue = MessageKeys.Queue(_prefix, uaid);
        var member = MessageKeys.Member(notification.Ref);
        var body = MessageKeys.Body(_prefix, uaid, member);
        var json = JsonSerializer.SerializeToUtf8Bytes(StoredMessage.From(notification), StoredMessageJsonContext.Default.StoredMessage);

        var saved = await Run(() => Db.ScriptEvaluateAsync(
            SaveScript,
            [body, queue],
            [json, notification.Ttl, member, notification.SortKey, (long)_queueExpiry.TotalSeconds, notification.Topic is null ? 1 : 0]));
        var count = (long)saved;
        if (count < 0)
        {
            return new StoreResult(Conflict: true, Evicted: 0);
        }

        var excess = (int)(count - limit);
        var evicted = excess > 0 ? await EvictOldestAsync(uaid, queue, excess) : 0;
        await commit.WaitAsync();
        return new StoreResult(Conflict: false, Evicted: evicted);
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
        await commit.WaitAsync();
    }

    public async Task RemoveChannelAsync(Guid uaid, Guid channelId)
    {
        var queue = MessageKeys.Queue(_prefix, uaid);
        var members = await Run(() => Db.SortedSetRangeByRankAsync(queue));
        var ofChannel = members.Where(m => MessageKeys.BelongsTo(m.ToString(), channelId)).ToList();
        if (ofChannel.Count > 0)
        {
            await RemoveMembersAsync(uaid, queue, ofChannel);
        }
    }

    public async Task DeleteAllAsync(Guid uaid)
    {
        var queue = MessageKeys.Queue(_prefix, uaid);
        var members = await Run(() => Db.SortedSetRangeByRankAsync(queue));
        var keys = members.Select(m => MessageKeys.Body(_prefix, uaid, m.ToString())).Append(queue).ToArray();
        await Run(() => Db.KeyDeleteAsync(keys));
        await commit.WaitAsync();
    }

    public Task PingAsync() => Run(() => Db.PingAsync());

    private async Task<int> EvictOldestAsync(Guid uaid, RedisKey queue, int excess)
    {
        var oldest = await Run(() => Db.SortedSetRangeByRankAsync(queue, 0, excess - 1));
        await RemoveMembersAsync(uaid, queue, oldest);
        return oldest.Length;
    }

    private async Task RemoveMembersAsync(Guid uaid, RedisKey queue, IReadOnlyCollection<RedisValue> members)
    {
        var tx = Db.CreateTransaction();
        _ = tx.SortedSetRemoveAsync(queue, [.. members]);
        _ = tx.KeyDeleteAsync([.. members.Select(m => MessageKeys.Body(_prefix, uaid, m.ToString()))]);
        await Run(() => tx.ExecuteAsync());
    }

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

    private static async Task<T> Run<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            throw new StoreUnavailableException("The message store did not answer: " + e.Message, e);
        }
    }
}
