using System.Globalization;
using Push.Shared.Settings;
using Push.Silo.Store;
using StackExchange.Redis;

namespace Push.Silo.Import;

/// <summary>One stored message of autopush: its id, the score it is filed under and its JSON (null once expired).</summary>
internal readonly record struct AutopushEntry(string Id, double Score, string? Body);

/// <summary>
/// An autopush-rs Redis or Valkey database, read only: its client cannot send a command that writes
/// (the command map leaves them out), so the import never changes the source, whatever goes wrong.
/// </summary>
internal sealed class AutopushSource : IAsyncDisposable
{
    private static readonly CommandMap ReadOnly = CommandMap.Create(
        ["SET", "SETEX", "SETNX", "MSET", "GETSET", "GETDEL", "GETEX", "APPEND", "INCR", "DECR", "INCRBY", "DECRBY", "DEL", "UNLINK",
         "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST", "RENAME", "RENAMENX", "MOVE", "COPY", "RESTORE", "MIGRATE",
         "LPUSH", "RPUSH", "LPOP", "RPOP", "LREM", "LSET", "LTRIM", "LINSERT", "ZADD", "ZREM", "ZINCRBY", "ZPOPMIN", "ZPOPMAX",
         "ZREMRANGEBYSCORE", "ZREMRANGEBYRANK", "ZREMRANGEBYLEX", "HSET", "HDEL", "HINCRBY", "SADD", "SREM", "SPOP",
         "FLUSHDB", "FLUSHALL", "EVAL", "EVALSHA", "SCRIPT", "CONFIG", "SAVE", "BGSAVE", "BGREWRITEAOF", "SHUTDOWN", "SWAPDB"],
        available: false);

    private readonly ConnectionMultiplexer _redis;

    private AutopushSource(ConnectionMultiplexer redis, string description, string identity)
    {
        _redis = redis;
        Description = description;
        Identity = identity;
    }

    /// <summary>The DSN with its password hidden.</summary>
    public string Description { get; }

    /// <summary>Host, port and database, naming this source in the target's resume point.</summary>
    public string Identity { get; }

    private IDatabase Db => _redis.GetDatabase();

    public static async Task<AutopushSource> ConnectAsync(string dsn)
    {
        if (!RedisDsn.TryParse(dsn, out var options, out var error))
        {
            throw new SettingsException($"Invalid --from: {error}");
        }

        options.CommandMap = ReadOnly;
        options.ClientName = "push-import";
        options.AbortOnConnectFail = true;
        var endpoint = options.EndPoints[0];
        var identity = string.Create(CultureInfo.InvariantCulture, $"{EndPointCollection.ToString(endpoint)}/{options.DefaultDatabase ?? 0}");
        try
        {
            return new AutopushSource(await ConnectionMultiplexer.ConnectAsync(options), RedisDsn.Redact(dsn), identity);
        }
        catch (RedisConnectionException e)
        {
            throw new SettingsException($"Invalid --from: {RedisDsn.Redact(dsn)} does not answer ({e.Message})");
        }
    }

    /// <summary>One SCAN step over the user records: the keys found and the cursor to continue from ("0" when done).</summary>
    public async Task<(string Next, IReadOnlyList<string> UserKeys)> ScanUsersAsync(string cursor, int count)
    {
        var reply = (RedisResult[])(await Db.ExecuteAsync("SCAN", cursor, "MATCH", AutopushKeys.UserPattern, "COUNT", count))!;
        return ((string)reply[0]!, [.. ((RedisResult[])reply[1]!).Select(k => (string)k!)]);
    }

    /// <summary>The user's record (null when gone), the storage pointer and how many channel entries it has.</summary>
    public async Task<(string? Record, string? Pointer, long ChannelEntries)> ReadUserAsync(string userKey, string uaid)
    {
        var batch = Db.CreateBatch();
        var record = batch.StringGetAsync(userKey);
        var pointer = batch.StringGetAsync(AutopushKeys.Timestamp(uaid));
        var channels = batch.ListLengthAsync(AutopushKeys.Channels(uaid));
        batch.Execute();
        await Task.WhenAll(record, pointer, channels);
        return (await record, await pointer, await channels);
    }

    public async Task<IReadOnlyList<string>> ReadChannelsAsync(string uaid, long start, int count)
    {
        var values = await Db.ListRangeAsync(AutopushKeys.Channels(uaid), start, start + count - 1);
        return [.. values.Select(v => v.ToString())];
    }

    /// <summary>How many stored messages lie below the pointer (delivered) and at or above it (pending).</summary>
    public async Task<(long Delivered, long Pending)> CountMessagesAsync(string uaid, double pointer)
    {
        var key = AutopushKeys.Messages(uaid);
        var batch = Db.CreateBatch();
        var delivered = batch.SortedSetLengthAsync(key, double.NegativeInfinity, pointer, Exclude.Stop);
        var pending = batch.SortedSetLengthAsync(key, pointer, double.PositiveInfinity);
        batch.Execute();
        await Task.WhenAll(delivered, pending);
        return (await delivered, await pending);
    }

    /// <summary>Pending messages (scored at or above the pointer), newest first, with their JSON.</summary>
    public async Task<IReadOnlyList<AutopushEntry>> ReadPendingAsync(string uaid, double pointer, long skip, int count)
    {
        var ids = await Db.SortedSetRangeByScoreWithScoresAsync(AutopushKeys.Messages(uaid), pointer, double.PositiveInfinity, Exclude.None, Order.Descending, skip, count);
        if (ids.Length == 0)
        {
            return [];
        }

        var bodies = await Db.StringGetAsync([.. ids.Select(e => (RedisKey)AutopushKeys.Message(uaid, e.Element.ToString()))]);
        return [.. ids.Select((e, i) => new AutopushEntry(e.Element.ToString(), e.Score, bodies[i].IsNull ? null : bodies[i].ToString()))];
    }

    public ValueTask DisposeAsync() => _redis.DisposeAsync();
}
