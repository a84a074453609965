using Push.EndpointFrontend.Errors;

namespace Push.EndpointFrontend.WebPush;

/// <summary>
/// The encryption header rules for a push with a body: <c>aes128gcm</c> (RFC 8188, keys in the body)
/// or the older <c>aesgcm</c> (salt in <c>Encryption</c>, optional <c>dh</c> in <c>Crypto-Key</c>).
/// </summary>
internal static class EncryptionRules
{
    public static ApiError? Check(string? encoding, string? encryption, string? cryptoKey) => encoding switch
    {
        null => ApiError.InvalidEncryption("Missing Content-Encoding header"),
        "aesgcm" => RequireBase64Item("Encryption", encryption, "salt")
            ?? (cryptoKey is null ? null : RequireBase64Item("Crypto-Key", cryptoKey, "dh")),
        "aes128gcm" => Forbid("aes128gcm Encryption", encryption, "salt") ?? Forbid("aes128gcm Crypto-Key", cryptoKey, "dh"),
        _ => ApiError.InvalidEncryption("Unknown Content-Encoding header"),
    };

    private static ApiError? RequireBase64Item(string headerName, string? header, string key)
    {
        if (header is null)
        {
            return ApiError.InvalidEncryption($"Missing {headerName} header");
        }

        var value = HeaderItems.Find(header, key, out var valid);
        if (!valid)
        {
            return ApiError.InvalidEncryption($"Invalid {headerName} header");
        }

        if (value is null)
        {
            return ApiError.InvalidEncryption($"Missing {key} value in {headerName} header");
        }

        return HeaderText.IsBase64Url(value) ? null : ApiError.InvalidEncryption($"Invalid {key} value in {headerName} header");
    }

    private static ApiError? Forbid(string headerName, string? header, string key)
    {
        if (header is null)
        {
            return null;
        }

        var value = HeaderItems.Find(header, key, out var valid);
        if (!valid)
        {
            return ApiError.InvalidEncryption($"Invalid {headerName} header");
        }

        return value is null ? null : ApiError.InvalidEncryption($"Do not include '{key}' header in {headerName} header");
    }
}
