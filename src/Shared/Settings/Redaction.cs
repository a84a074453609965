using System.Text.RegularExpressions;

namespace Push.Shared.Settings;

/// <summary>Setting values as a person or a log may see them: never a password or a key.</summary>
public static partial class Redaction
{
    /// <summary>What a secret setting (a key list, a password) shows instead of its value.</summary>
    public const string Hidden = "***";

    /// <summary>
    /// The text with the credentials of any URL in it replaced by <c>***</c> (<c>redis://user:***@host</c>).
    /// Works on text that does not parse too: everything between <c>://</c> and the last <c>@</c> is
    /// credentials.
    /// </summary>
    public static string UrlCredentials(string text) => Credentials().Replace(text, m =>
        m.Groups["user"].Success ? $"://{m.Groups["user"].Value}:***@" : "://***@");

    [GeneratedRegex("://(?:(?<user>[^:@/]*):)?.*@")]
    private static partial Regex Credentials();
}
