using Push.Shared.Crypto;

namespace Push.Shared.Tokens;

/// <summary>
/// Endpoint URLs: <c>{base}/wpush/v1/{token}</c>, <c>{base}/wpush/v2/{token}</c> for a token bound to a
/// VAPID key, and autopush's oldest form <c>{base}/wpush/{token}</c>, which means v1.
/// </summary>
public static class EndpointUrl
{
    private const string Prefix = "wpush";

    public static string Format(string endpointBase, string token, bool v2) =>
        $"{endpointBase.TrimEnd('/')}/{Prefix}/{(v2 ? "v2" : "v1")}/{token}";

    /// <summary>Mints the token of a new subscription and returns its push URL (v2 when bound to a key hash).</summary>
    public static string Mint(FernetKeyRing keys, string endpointBase, Guid uaid, Guid channelId, byte[]? keyHash) =>
        Format(endpointBase, EndpointToken.Create(keys, uaid, channelId, keyHash), keyHash is not null);

    /// <summary>
    /// Reads the API version (as written, not checked) and the token of an endpoint path; empty segments
    /// are skipped. False for any other path.
    /// </summary>
    public static bool TryParsePath(string path, out string apiVersion, out string token)
    {
        (apiVersion, token) = path.Split('/', StringSplitOptions.RemoveEmptyEntries) switch
        {
            [Prefix, var t] => ("v1", t),
            [Prefix, var v, var t] => (v, t),
            _ => (string.Empty, string.Empty),
        };
        return token.Length > 0;
    }
}
