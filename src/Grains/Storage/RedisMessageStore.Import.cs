using System.Text.Json;
using Push.Grains.Messages;
using StackExchange.Redis;

namespace Push.Grains.Storage;

internal sealed partial class RedisMessageStore
{
    public async Task<ImportSaveResult> ImportAsync(Guid uaid, IReadOnlyList<Notification> messages, long nowSeconds)
    {
        var queue = MessageKeys.Queue(_prefix, uaid);
        var batch = Db.CreateBatch();
        var bodies = new List<(Task<bool> Stored, RedisKey Key, byte[] Json)>(messages.Count);
        var index = new List<SortedSetEntry>(messages.Count);
        var expired = 0;
        var longest = TimeSpan.Zero;
        foreach (var message in messages)
        {
            var remaining = TimeSpan.FromSeconds(message.Timestamp + message.Ttl - nowSeconds);
            if (remaining <= TimeSpan.Zero)
            {
                expired++;
                continue;
            }

            var member = MessageKeys.Member(message.Ref);
            var key = MessageKeys.Body(_prefix, uaid, member);
            var json = JsonSerializer.SerializeToUtf8Bytes(StoredMessage.From(message), StoredMessageJsonContext.Default.StoredMessage);
            // A topic message replaces the stored one, as a push would; any other never overwrites: a
            // re-run finds its own copy there, anything else is a conflict.
            bodies.Add((batch.StringSetAsync(key, json, remaining, message.Topic is null ? When.NotExists : When.Always), key, json));
            index.Add(new SortedSetEntry(member, message.SortKey));
            longest = Max(longest, remaining);
        }

        if (index.Count == 0)
        {
            return new ImportSaveResult(0, expired, 0);
        }

        var indexed = batch.SortedSetAddAsync(queue, [.. index]);
        var expiring = batch.KeyExpireAsync(queue, Max(_queueExpiry, longest + MessageStoreOptions.QueueExpiryMargin));
        await RunBatch(batch, [.. bodies.Select(b => (Task)b.Stored), indexed, expiring]);
        var conflicts = 0;
        foreach (var (stored, key, json) in bodies)
        {
            if (!await stored && !await IsSameBodyAsync(key, json))
            {
                conflicts++;
            }
        }

        await CommitAsync();
        return new ImportSaveResult(index.Count - conflicts, expired, conflicts);
    }
}
