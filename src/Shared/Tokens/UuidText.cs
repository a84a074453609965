namespace Push.Shared.Tokens;

/// <summary>Parses a UUID in any common spelling: simple, hyphenated, braced, parenthesised, <c>urn:uuid:</c>.</summary>
public static class UuidText
{
    public static bool TryParseAny(string? text, out Guid value)
    {
        value = Guid.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
        {
            span = span[9..];
        }

        return Guid.TryParse(span, out value);
    }
}
