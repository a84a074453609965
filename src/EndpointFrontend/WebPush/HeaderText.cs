using System.Text.RegularExpressions;

namespace Push.EndpointFrontend.WebPush;

/// <summary>Checks and rewrites header values exactly as the reference does.</summary>
internal static partial class HeaderText
{
    /// <summary><c>^[0-9A-Za-z\-_]+=*$</c>: URL-safe base64 with optional padding.</summary>
    public static bool IsBase64Url(string value) => Base64UrlPattern().IsMatch(value);

    /// <summary>
    /// What the client sees of <c>Encryption</c>/<c>Crypto-Key</c>: every '"' removed, and base64 '='
    /// padding removed where it ends a value (before ',', ';' or the end).
    /// </summary>
    public static string StripForClient(string value) =>
        PaddingPattern().Replace(value.Replace("\"", string.Empty, StringComparison.Ordinal), "${head}${tail}");

    [GeneratedRegex(@"^[0-9A-Za-z\-_]+=*$", RegexOptions.CultureInvariant)]
    private static partial Regex Base64UrlPattern();

    [GeneratedRegex(@"(?<head>[0-9A-Za-z\-_]+)=+(?<tail>[,;]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex PaddingPattern();
}
