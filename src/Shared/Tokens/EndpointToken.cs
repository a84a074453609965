using System.Security.Cryptography;
using Push.Shared.Crypto;

namespace Push.Shared.Tokens;

/// <summary>What an endpoint token carries: the user, the channel and, for v2, the VAPID key hash.</summary>
public readonly record struct EndpointTokenInfo(Guid Uaid, Guid ChannelId, byte[]? KeyHash)
{
    public int ApiVersion => KeyHash is null ? 1 : 2;
}

/// <summary>
/// Endpoint tokens, laid out as autopush lays them out so that endpoints it minted keep working:
/// Fernet(uaid[16] ‖ chid[16]) for v1, Fernet(uaid[16] ‖ chid[16] ‖ SHA-256(raw VAPID key)[32]) for v2,
/// UUIDs in RFC 4122 (big-endian) byte order, base64url with the '=' padding trimmed.
/// </summary>
public static class EndpointToken
{
    public const int V1Length = 32;
    public const int V2Length = 64;

    public static string Create(FernetKeyRing keys, Guid uaid, Guid channelId, byte[]? keyHash)
    {
        Span<byte> plain = stackalloc byte[keyHash is null ? V1Length : V2Length];
        uaid.TryWriteBytes(plain[..16], bigEndian: true, out _);
        channelId.TryWriteBytes(plain[16..32], bigEndian: true, out _);
        keyHash?.CopyTo(plain[32..]);
        return keys.Encrypt(plain).TrimEnd('=');
    }

    /// <summary>SHA-256 of the raw (decoded) VAPID public key, as bound into v2 tokens.</summary>
    public static byte[] HashKey(ReadOnlySpan<byte> rawPublicKey) => SHA256.HashData(rawPublicKey);

    /// <summary>Decrypts a token (any configured key). The length tells v1 (32 bytes) from v2 (64 bytes).</summary>
    public static bool TryDecrypt(FernetKeyRing keys, string token, out byte[] plaintext)
    {
        plaintext = [];
        return token.Length is > 0 and <= 512 && keys.TryDecrypt(token, out plaintext);
    }

    public static EndpointTokenInfo Read(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.Length is not (V1Length or V2Length))
        {
            throw new ArgumentException("Endpoint token plaintext must be 32 or 64 bytes.", nameof(plaintext));
        }

        var uaid = new Guid(plaintext[..16], bigEndian: true);
        var channel = new Guid(plaintext[16..32], bigEndian: true);
        return new EndpointTokenInfo(uaid, channel, plaintext.Length == V2Length ? plaintext[32..].ToArray() : null);
    }

    /// <summary>The push URL: <c>{base}/wpush/v1/{token}</c> or <c>/wpush/v2/</c> when bound to a key.</summary>
    public static string Url(string endpointBase, string token, bool v2) =>
        $"{endpointBase.TrimEnd('/')}/wpush/{(v2 ? "v2" : "v1")}/{token}";
}
