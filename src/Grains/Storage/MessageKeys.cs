using System.Globalization;
using Push.Grains.Messages;
using StackExchange.Redis;

namespace Push.Grains.Storage;

/// <summary>
/// Redis key layout. Both keys of a user share the hash tag <c>{uaid}</c>, so a user's keys live
/// on one shard of a Redis Cluster and can be changed in one transaction.
/// <list type="bullet">
/// <item><c>push:{uaid}:q</c>: sorted set, member = message key, score = sort key (receipt µs).</item>
/// <item><c>push:{uaid}:m:{message key}</c>: the message JSON, expiring with the message's TTL.</item>
/// <item><c>push:{uaid}:c</c>: hash of the user's channels, field = channel id, so registering one costs O(1).</item>
/// </list>
/// Message keys: <c>01:{chid}:{topic}</c> for topic messages (so a newer one replaces the older),
/// <c>02:{sortkey}:{chid}</c> otherwise.
/// </summary>
internal static class MessageKeys
{
    public static RedisKey Queue(string prefix, Guid uaid) => $"{prefix}:{{{uaid:N}}}:q";

    public static RedisKey Channels(string prefix, Guid uaid) => $"{prefix}:{{{uaid:N}}}:c";

    public static RedisKey Body(string prefix, Guid uaid, string member) => $"{prefix}:{{{uaid:N}}}:m:{member}";

    public static string Member(MessageRef message) => message.Topic is { } topic
        ? $"01:{message.ChannelId:D}:{topic}"
        : string.Create(CultureInfo.InvariantCulture, $"02:{message.SortKey}:{message.ChannelId:D}");

    public static bool BelongsTo(string member, Guid channelId)
    {
        var chid = channelId.ToString("D");
        return member.StartsWith("01:", StringComparison.Ordinal)
            ? member.AsSpan(3).StartsWith(chid, StringComparison.Ordinal)
            : member.EndsWith(chid, StringComparison.Ordinal);
    }
}
