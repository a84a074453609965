namespace Push.Silo.Import;

/// <summary>
/// The Redis keys of autopush-rs 1.83 (<c>autopush-common/src/db/redis</c>). autopush spells the UAID
/// in them hyphenated and lowercase; the import takes the spelling of the user key SCAN found, so a
/// user's other keys are found however it was written. Read only: the import writes none of them.
/// </summary>
internal static class AutopushKeys
{
    public const string UserPrefix = "autopush/user/";

    /// <summary>What SCAN matches: one string key per user, its JSON record (expiring with <c>router_ttl</c>).</summary>
    public const string UserPattern = UserPrefix + "*";

    /// <summary>A list of the user's channel ids (never expires; may hold duplicates).</summary>
    public static string Channels(string uaid) => $"autopush/channels/{uaid}";

    /// <summary>
    /// The storage pointer, in seconds: messages scored below it were delivered and acknowledged (acked
    /// messages without a topic stay stored until they expire).
    /// </summary>
    public static string Timestamp(string uaid) => $"autopush/timestamp/{uaid}";

    /// <summary>A sorted set of the user's stored message ids, scored by when each was stored (seconds).</summary>
    public static string Messages(string uaid) => $"autopush/msgs/{uaid}";

    /// <summary>One message's JSON, expiring when its TTL ends.</summary>
    public static string Message(string uaid, string messageId) => $"autopush/msg/{uaid}/{messageId}";
}
