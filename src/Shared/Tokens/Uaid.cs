namespace Push.Shared.Tokens;

/// <summary>User agent ids: sent to clients as 32 lowercase hex digits, accepted in any UUID spelling.</summary>
public static class Uaid
{
    public static string Format(Guid uaid) => uaid.ToString("N");

    /// <summary>
    /// Lenient parse of a client-supplied id: simple, hyphenated, braced, parenthesised or
    /// <c>urn:uuid:</c> forms, any case. Anything else means "no id".
    /// </summary>
    public static bool TryParse(string? text, out Guid uaid) => UuidText.TryParseAny(text, out uaid) && uaid != Guid.Empty;
}
