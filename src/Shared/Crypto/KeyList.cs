namespace Push.Shared.Crypto;

/// <summary>
/// Parses the key-list settings (<c>crypto_key</c>, <c>crypto_keys</c>, <c>auth_keys</c>):
/// <c>[k1,k2]</c>, <c>["k1","k2"]</c> or a bare <c>k1</c>; quotes and spaces are ignored.
/// </summary>
public static class KeyList
{
    public static IReadOnlyList<string> ParseItems(string text)
    {
        var cleaned = text.Replace("\"", string.Empty).Replace("'", string.Empty).Trim();
        if (cleaned.StartsWith('[') && cleaned.EndsWith(']'))
        {
            cleaned = cleaned[1..^1];
        }

        return [.. cleaned.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>
    /// Parses a list of Fernet keys: 32 bytes each, in URL-safe or standard base64 (as
    /// <c>openssl rand -base64 32</c> prints). Returns an error text for the first bad item.
    /// </summary>
    public static bool TryParseFernetKeys(string text, out IReadOnlyList<byte[]> keys, out string error)
    {
        keys = [];
        error = string.Empty;
        var items = ParseItems(text);
        if (items.Count == 0)
        {
            error = "no key given";
            return false;
        }

        var parsed = new List<byte[]>(items.Count);
        foreach (var item in items)
        {
            if (LooksLikePlaceholder(item))
            {
                error = PlaceholderError(item);
                return false;
            }

            if (!Base64Url.TryDecodeAnyAlphabet(item, out var key) || key.Length != Fernet.KeyLength)
            {
                error = $"\"{Redact(item)}\" is not a Fernet key (32 bytes in base64); create one with `dotnet run --project src/Silo -- keys` (or `openssl rand -base64 32`)";
                return false;
            }

            parsed.Add(key);
        }

        keys = parsed;
        return true;
    }

    /// <summary>The shortest secret accepted (<c>auth_keys</c>, <c>dashboard_password</c>): anything shorter is a placeholder or guessable.</summary>
    public const int MinSecretLength = 16;

    /// <summary>
    /// Why a secret (an HMAC key, a password) cannot be used, or null when it can: a placeholder of the
    /// deployment files (<c>AUTH_KEY</c>, <c>&lt;password&gt;</c>, <c>${SECRET}</c>) or too short to be a secret.
    /// </summary>
    public static string? SecretProblem(string item)
    {
        if (LooksLikePlaceholder(item))
        {
            return PlaceholderError(item);
        }

        return item.Length < MinSecretLength
            ? $"a secret of {item.Length} characters is too short (at least {MinSecretLength}); create one with `dotnet run --project src/Silo -- keys` (or `openssl rand -base64 32`)"
            : null;
    }

    private static string PlaceholderError(string item) =>
        $"\"{item}\" is a placeholder, not a key; create one with `dotnet run --project src/Silo -- keys` (or `openssl rand -base64 32`)";

    private static bool LooksLikePlaceholder(string item) =>
        item.Length > 2 && item[0] == '[' && item[^1] == ']' ? LooksLikePlaceholder(item[1..^1]) :
        (item.Length > 0 && item.All(c => char.IsAsciiLetterUpper(c) || c == '_' || char.IsAsciiDigit(c)) && item.Contains('_'))
        || (item.StartsWith('<') && item.EndsWith('>'))
        || item.StartsWith("${", StringComparison.Ordinal);

    // Never echo a whole (possibly real) secret back into a log line.
    private static string Redact(string item) => item.Length <= 8 ? item : item[..4] + "…";
}
