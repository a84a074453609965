using Push.EndpointFrontend.Errors;
using Push.EndpointFrontend.WebPush;

namespace Push.EndpointFrontend.Vapid;

/// <summary>
/// Reads the VAPID credentials of a push request: <c>vapid t=…,k=…</c> (RFC 8292, with or without
/// spaces), or <c>Bearer</c>/<c>WebPush</c> with the key in <c>Crypto-Key: p256ecdsa=…</c> (draft VAPID).
/// </summary>
internal static class VapidHeaderParser
{
    public static ApiError? TryParse(string authorization, string? cryptoKey, out VapidCredentials? credentials)
    {
        credentials = null;
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return ApiError.Vapid("Missing VAPID token");
        }

        var scheme = authorization[..space].ToLowerInvariant();
        var data = authorization[(space + 1)..].Replace(" ", string.Empty, StringComparison.Ordinal);
        if (scheme is not ("vapid" or "bearer" or "webpush"))
        {
            return ApiError.Vapid("Unknown auth scheme");
        }

        if (scheme == "vapid")
        {
            string? key = null, token = null;
            foreach (var item in data.Split(','))
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0)
                {
                    continue;
                }

                switch (item[..eq])
                {
                    case "k":
                        key = item[(eq + 1)..];
                        break;
                    case "t":
                        token = item[(eq + 1)..];
                        break;
                }
            }

            if (key is null)
            {
                return ApiError.Vapid("Missing VAPID public key");
            }

            if (token is null)
            {
                return ApiError.Vapid("Missing VAPID token");
            }

            credentials = new VapidCredentials(token, key, scheme);
            return null;
        }

        if (cryptoKey is null)
        {
            return ApiError.InvalidEncryption("Missing Crypto-Key header");
        }

        var publicKey = HeaderItems.Find(cryptoKey, "p256ecdsa", out var valid);
        if (!valid)
        {
            return ApiError.InvalidEncryption("Invalid Crypto-Key header");
        }

        if (publicKey is null)
        {
            return ApiError.InvalidEncryption("Missing p256ecdsa in Crypto-Key header");
        }

        credentials = new VapidCredentials(data, publicKey, scheme);
        return null;
    }
}
