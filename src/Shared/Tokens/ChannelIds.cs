namespace Push.Shared.Tokens;

/// <summary>Channel ids: always written as lowercase hyphenated UUIDs.</summary>
public static class ChannelIds
{
    public static string Format(Guid channelId) => channelId.ToString("D");

    /// <summary>
    /// The strict form <c>register</c> demands: exactly the lowercase hyphenated spelling.
    /// </summary>
    public static bool TryParseStrict(string? text, out Guid channelId)
    {
        channelId = Guid.Empty;
        return text is { Length: 36 }
            && Guid.TryParseExact(text, "D", out channelId)
            && string.Equals(text, channelId.ToString("D"), StringComparison.Ordinal);
    }

    /// <summary>Any UUID spelling (used for ack, unregister and hello channel lists).</summary>
    public static bool TryParseLenient(string? text, out Guid channelId) => UuidText.TryParseAny(text, out channelId);
}
