using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Push.Shared.Crypto;

namespace Push.Shared.Tokens;

/// <summary>
/// What a message id (the notification <c>version</c>) names: a topic message
/// (<c>01:uaid:chid:topic</c>) or a timestamped one (<c>02:uaid:chid:sortkey</c>).
/// </summary>
public readonly record struct MessageIdInfo(Guid Uaid, Guid ChannelId, string? Topic, ulong SortKey)
{
    /// <summary>Below this a sort key is in milliseconds (any microsecond time after March 1973 is above it; milliseconds reach it in the year 5138).</summary>
    private const ulong MillisecondKeysBelow = 100_000_000_000_000;

    public bool IsTopic => Topic is not null;

    /// <summary>
    /// The sort key in microseconds, as the queue stores it. Ids autopush made carry milliseconds; the
    /// messages imported from it are stored under those times 1000, so their old ids still find them.
    /// </summary>
    public long SortKeyMicroseconds => SortKey < MillisecondKeysBelow ? (long)SortKey * 1000 : (long)SortKey;
}

/// <summary>Message ids, Fernet-encrypted with the padding kept, as autopush makes them.</summary>
public static class MessageId
{
    public static string Encrypt(FernetKeyRing keys, MessageIdInfo info)
    {
        // Made for every push: the plaintext is formatted on the stack. Topics are at most 32 URL-safe
        // characters, so it always fits; the string path is kept for anything longer.
        Span<byte> plain = stackalloc byte[192];
        var formatted = info.Topic is { } topic
            ? Utf8.TryWrite(plain, CultureInfo.InvariantCulture, $"01:{info.Uaid:N}:{info.ChannelId:N}:{topic}", out var written)
            : Utf8.TryWrite(plain, CultureInfo.InvariantCulture, $"02:{info.Uaid:N}:{info.ChannelId:N}:{info.SortKey}", out written);
        return formatted && (info.Topic is null || Ascii.IsValid(info.Topic))
            ? keys.Encrypt(plain[..written])
            : keys.Encrypt(Encoding.ASCII.GetBytes(Plaintext(info)));
    }

    public static string Plaintext(MessageIdInfo info) => info.Topic is { } topic
        ? $"01:{info.Uaid:N}:{info.ChannelId:N}:{topic}"
        : string.Create(CultureInfo.InvariantCulture, $"02:{info.Uaid:N}:{info.ChannelId:N}:{info.SortKey}");

    public static bool TryDecrypt(FernetKeyRing keys, string? id, out MessageIdInfo info)
    {
        info = default;
        if (id is null or { Length: 0 or > 1024 } || !keys.TryDecrypt(id, out var plain))
        {
            return false;
        }

        return TryParsePlaintext(Encoding.ASCII.GetString(plain), out info);
    }

    public static bool TryParsePlaintext(string plaintext, out MessageIdInfo info)
    {
        info = default;
        var parts = plaintext.Split(':');
        if (parts.Length != 4 || !Guid.TryParse(parts[1], out var uaid) || !Guid.TryParse(parts[2], out var chid))
        {
            return false;
        }

        switch (parts[0])
        {
            case "01":
                info = new MessageIdInfo(uaid, chid, parts[3], 0);
                return true;
            case "02" when ulong.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var sortKey):
                info = new MessageIdInfo(uaid, chid, null, sortKey);
                return true;
            default:
                return false;
        }
    }
}
