using System.Globalization;
using Push.Grains.Messages;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.Silo.Import;

/// <summary>A user read from autopush: what to import (null when the user is skipped), and what was left out and why.</summary>
internal sealed record UserRead(Guid Uaid, ImportedUser? User, Skip? UserSkip, IReadOnlyDictionary<Skip, long> Skipped);

/// <summary>
/// Reads one autopush user as autopush itself would serve it (its channels, and the messages a client
/// would receive on its next hello) and turns it into what Push stores. Memory is bounded by the limits:
/// channels and messages are read in pages, and at most <c>msg_limit</c> messages are kept.
/// </summary>
internal sealed class AutopushUserReader(AutopushSource source, FernetKeyRing keys, int channelLimit, int messageLimit, TimeProvider time)
{
    private const int Page = 500;

    public async Task<UserRead> ReadAsync(string userKey)
    {
        var uaidText = userKey[AutopushKeys.UserPrefix.Length..];
        if (!UuidText.TryParseAny(uaidText, out var uaid) || uaid == Guid.Empty)
        {
            return Skipped(Guid.Empty, Skip.UserMalformed);
        }

        var (recordJson, pointerText, channelEntries) = await source.ReadUserAsync(userKey, uaidText);
        if (recordJson is null)
        {
            return Skipped(uaid, Skip.UserGone);
        }

        var record = AutopushJsonContext.Parse(recordJson, AutopushJsonContext.Default.AutopushUserRecord);
        if (record is null || record.RouterType is null || !UuidText.TryParseAny(record.Uaid, out var recorded) || recorded != uaid)
        {
            return Skipped(uaid, Skip.UserMalformed);
        }

        if (record.RouterType != "webpush")
        {
            return Skipped(uaid, Skip.UserNotWebPush);
        }

        var skipped = new Dictionary<Skip, long>();
        var channels = await ReadChannelsAsync(uaidText, channelEntries, skipped);
        // Where autopush's next hello would start reading: the record's pointer, else the user's timestamp key.
        var pointer = record.CurrentTimestamp ?? (ulong.TryParse(pointerText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0);
        var messages = await ReadMessagesAsync(uaid, uaidText, pointer, channels, skipped);
        return new UserRead(uaid, new ImportedUser([.. channels], messages), null, skipped);
    }

    /// <summary>Distinct channel ids, in the order registered, at most <c>max_channels</c>.</summary>
    private async Task<List<Guid>> ReadChannelsAsync(string uaid, long entries, Dictionary<Skip, long> skipped)
    {
        var channels = new List<Guid>();
        var seen = new HashSet<Guid>();
        for (long start = 0; start < entries; start += Page)
        {
            foreach (var text in await source.ReadChannelsAsync(uaid, start, Page))
            {
                if (!UuidText.TryParseAny(text, out var channel))
                {
                    Add(skipped, Skip.ChannelMalformed);
                }
                else if (seen.Contains(channel))
                {
                    // autopush appends without checking: a second entry is the same channel.
                }
                else if (seen.Count >= channelLimit)
                {
                    Add(skipped, Skip.ChannelBeyondLimit);
                }
                else
                {
                    seen.Add(channel);
                    channels.Add(channel);
                }
            }
        }

        return channels;
    }

    /// <summary>The newest <c>msg_limit</c> messages a client would still get, oldest first, each with a sort key of its own.</summary>
    private async Task<List<Notification>> ReadMessagesAsync(Guid uaid, string uaidText, ulong pointer, List<Guid> channels, Dictionary<Skip, long> skipped)
    {
        var (delivered, pending) = await source.CountMessagesAsync(uaidText, pointer);
        Add(skipped, Skip.MessageDelivered, delivered);
        var registered = channels.ToHashSet();
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var kept = new List<Notification>();
        var examined = 0L;
        while (kept.Count < messageLimit && examined < pending)
        {
            var page = await source.ReadPendingAsync(uaidText, pointer, examined, Page);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var entry in page)
            {
                examined++;
                var (message, skip) = ToNotification(uaid, entry, now, registered);
                if (message is null)
                {
                    Add(skipped, skip);
                }
                else if (kept.Count < messageLimit)
                {
                    kept.Add(message);
                }
                else
                {
                    Add(skipped, Skip.MessageBeyondLimit);
                }
            }
        }

        Add(skipped, Skip.MessageBeyondLimit, Math.Max(0, pending - examined));
        return UniqueSortKeys(kept);
    }

    private (Notification? Message, Skip Skip) ToNotification(Guid uaid, AutopushEntry entry, long now, HashSet<Guid> channels)
    {
        if (entry.Body is null)
        {
            // autopush's body expires with the message; the index entry lingers until autopush cleans up.
            return (null, Skip.MessageExpired);
        }

        var record = AutopushJsonContext.Parse(entry.Body, AutopushJsonContext.Default.AutopushMessageRecord);
        if (record is not { ChannelId: { } channel, Version: { } version, Timestamp: { } timestamp } || timestamp > long.MaxValue / 2 || record.Ttl > long.MaxValue / 2)
        {
            return (null, Skip.MessageMalformed);
        }

        var ttl = (long)(record.Ttl ?? 0);
        if (now >= (long)timestamp + ttl)
        {
            return (null, Skip.MessageExpired);
        }

        if (!channels.Contains(channel))
        {
            return (null, Skip.MessageUnknownChannel);
        }

        if (!MessageId.TryDecrypt(keys, version, out var id))
        {
            return (null, Skip.MessageOtherKey);
        }

        if (id.Uaid != uaid || id.ChannelId != channel || id.Topic != record.Topic)
        {
            return (null, Skip.MessageMalformed);
        }

        // An untopiced message keeps the time its id names (milliseconds, stored as microseconds), so the
        // sender's DELETE of that id still finds it; a topic message is placed by when it was received.
        var sortKey = id.IsTopic ? (long)timestamp * 1_000_000 : id.SortKeyMicroseconds;
        var headers = record.Headers is { Count: > 0 } h
            ? new NotificationHeaders(h.GetValueOrDefault("encoding"), h.GetValueOrDefault("encryption"), h.GetValueOrDefault("crypto_key"))
            : null;
        if (headers is { Encoding: null, Encryption: null, CryptoKey: null })
        {
            headers = null;
        }

        return (new Notification(channel, version, ttl, (long)timestamp, record.Topic, sortKey, record.Data, headers, Urgency.Normal), default);
    }

    /// <summary>
    /// Sort keys must differ within a user (the session reads the queue from the last key it saw); two
    /// messages received in the same millisecond get the later one a microsecond later.
    /// </summary>
    private static List<Notification> UniqueSortKeys(List<Notification> messages)
    {
        var ordered = messages.OrderBy(m => m.SortKey).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].SortKey <= ordered[i - 1].SortKey)
            {
                ordered[i] = ordered[i] with { SortKey = ordered[i - 1].SortKey + 1 };
            }
        }

        return ordered;
    }

    private static UserRead Skipped(Guid uaid, Skip reason) => new(uaid, null, reason, new Dictionary<Skip, long>());

    private static void Add(Dictionary<Skip, long> skipped, Skip reason, long count = 1)
    {
        if (count > 0)
        {
            skipped[reason] = skipped.GetValueOrDefault(reason) + count;
        }
    }
}
