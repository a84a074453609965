namespace Push.EndpointFrontend.Tests.Security;

/// <summary>Small, deliberate changes to base64url tokens: the edits an attacker can make to a token they hold.</summary>
internal static class Tamper
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>
    /// The token with the character at <paramref name="index"/> replaced by one whose top bit differs,
    /// so the decoded bytes always change (never only the unused bits of the last character).
    /// </summary>
    public static string FlipCharacter(string token, int index)
    {
        var value = Alphabet.IndexOf(token[index], StringComparison.Ordinal);
        if (value < 0)
        {
            throw new ArgumentException($"no base64url character at {index}", nameof(index));
        }

        return string.Concat(token.AsSpan(0, index), Alphabet[value ^ 0b10_0000].ToString(), token.AsSpan(index + 1));
    }

    /// <summary>Positions spread over a Fernet token: version, timestamp, IV, ciphertext and HMAC.</summary>
    public static IEnumerable<int> Positions(string token)
    {
        var dataLength = token.TrimEnd('=').Length;
        return new[] { 0, 3, 8, 14, 30, dataLength / 2, dataLength - 30, dataLength - 3 }.Distinct();
    }
}
