using System.Text;
using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace Push.Testing.Autopush;

/// <summary>
/// Writes a Redis database the way autopush-rs 1.83 writes it (autopush-common/src/db/redis/redis_client:
/// add_user, add_channel, save_message, increment_storage): the same keys, JSON fields, expiries and
/// sorted-set scores, so the import is tested against what a real deployment holds.
/// </summary>
public sealed class AutopushDatabase(IConnectionMultiplexer redis, AutopushTokens tokens) : IAsyncDisposable
{
    /// <summary>autopush's MAX_ROUTER_TTL_SECS (60 days): the expiry of user records and pointers.</summary>
    public const long RouterTtl = 60 * 24 * 3600;

    public IDatabase Db => redis.GetDatabase();

    public static async Task<AutopushDatabase> ConnectAsync(RedisServer server, AutopushTokens tokens) =>
        new(await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},allowAdmin=true"), tokens);

    /// <summary>add_user: the record (serde's field names, the UAID in its simple form) and the last-connect key.</summary>
    public async Task AddUserAsync(Guid uaid, string routerType = "webpush")
    {
        var connectedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var record = new JsonObject
        {
            ["uaid"] = uaid.ToString("N"),
            ["connected_at"] = connectedAt,
            ["router_type"] = routerType,
            ["router_data"] = null,
            ["node_id"] = "http://autoconnect:8081",
            ["record_version"] = 1,
            ["priv_channels"] = new JsonArray(),
        };
        await Db.StringSetAsync($"autopush/co/{uaid:D}", connectedAt, TimeSpan.FromSeconds(RouterTtl));
        await Db.StringSetAsync($"autopush/user/{uaid:D}", record.ToJsonString(), TimeSpan.FromSeconds(RouterTtl));
    }

    /// <summary>add_channel: appended to the list, without checking for a duplicate.</summary>
    public async Task AddChannelAsync(Guid uaid, Guid chid)
    {
        await Db.ListRightPushAsync($"autopush/channels/{uaid:D}", chid.ToString("D"));
        await Db.StringSetAsync($"autopush/co/{uaid:D}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), TimeSpan.FromSeconds(RouterTtl));
    }

    /// <summary>
    /// A push autoendpoint stored for a user who was not connected, received at <paramref name="receivedAt"/>:
    /// its message id minted with the crypto key, then save_message. Returns the message id (its version).
    /// </summary>
    public async Task<string> PushAsync(Guid uaid, Guid chid, DateTimeOffset receivedAt, long ttl, string? data = null, string? topic = null)
    {
        var sortKey = (ulong)receivedAt.ToUnixTimeMilliseconds();
        var seconds = receivedAt.ToUnixTimeSeconds();
        var version = tokens.MessageId(uaid, chid, topic, sortKey);
        var body = new JsonObject { ["channelID"] = chid.ToString("D"), ["version"] = version, ["timestamp"] = seconds, ["ttl"] = ttl };
        if (topic is not null)
        {
            body["topic"] = topic;
        }

        if (data is not null)
        {
            body["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(data)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }

        if (topic is null)
        {
            body["sortkey_timestamp"] = sortKey;
        }

        if (data is not null)
        {
            body["headers"] = new JsonObject { ["encoding"] = "aes128gcm" };
        }

        var id = topic is null ? $"02:{sortKey}:{chid:D}" : $"01:{chid:D}:{topic}";
        await SaveAsync(uaid, id, body.ToJsonString(), seconds, seconds + ttl);
        return version;
    }

    /// <summary>save_message with a body as given (any text): SET EXAT expiry, then both sorted sets.</summary>
    public async Task SaveAsync(Guid uaid, string id, string body, long storedAt, long expiry)
    {
        await Db.ExecuteAsync("SET", $"autopush/msg/{uaid:D}/{id}", body, "EXAT", expiry);
        await Db.SortedSetAddAsync($"autopush/msgs_exp/{uaid:D}", id, expiry);
        await Db.SortedSetAddAsync($"autopush/msgs/{uaid:D}", id, storedAt);
    }

    /// <summary>increment_storage: the client acked everything up to <paramref name="timestamp"/>; expired messages are removed.</summary>
    public async Task IncrementStorageAsync(Guid uaid, long timestamp)
    {
        var expired = await Db.SortedSetRangeByScoreAsync($"autopush/msgs_exp/{uaid:D}", 0, timestamp);
        await Db.StringSetAsync($"autopush/timestamp/{uaid:D}", timestamp, TimeSpan.FromSeconds(RouterTtl));
        if (expired.Length > 0)
        {
            await Db.KeyDeleteAsync([.. expired.Select(id => (RedisKey)$"autopush/msg/{uaid:D}/{id}")]);
            await Db.SortedSetRemoveAsync($"autopush/msgs/{uaid:D}", expired);
            await Db.SortedSetRemoveAsync($"autopush/msgs_exp/{uaid:D}", expired);
        }
    }

    /// <summary>Every key with its DUMP: two snapshots are equal only if nothing was written in between.</summary>
    public async Task<SortedDictionary<string, string>> SnapshotAsync()
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var server = redis.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            var dump = await Db.KeyDumpAsync(key);
            snapshot[key.ToString()] = dump is null ? "" : Convert.ToBase64String(dump);
        }

        return snapshot;
    }

    public ValueTask DisposeAsync() => redis.DisposeAsync();
}
