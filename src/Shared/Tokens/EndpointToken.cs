using System.Security.Cryptography;
using Push.Shared.Crypto;

namespace Push.Shared.Tokens;

/// <summary>What an endpoint token carries: the user, the channel and, for v2, the VAPID key hash.</summary>
public readonly record struct EndpointTokenInfo(Guid Uaid, Guid ChannelId, byte[]? KeyHash)
{
    public int ApiVersion => KeyHash is null ? 1 : 2;

    /// <summary>Whether a v2 token is bound to this raw (decoded) VAPID public key; compared in constant time.</summary>
    public bool IsBoundTo(ReadOnlySpan<byte> rawPublicKey) =>
        KeyHash is not null && CryptographicOperations.FixedTimeEquals(EndpointToken.HashKey(rawPublicKey), KeyHash);
}

/// <summary>
/// Endpoint tokens, laid out as autopush lays them out so that endpoints it minted keep working:
/// Fernet(uaid[16] ‖ chid[16]) for v1, Fernet(uaid[16] ‖ chid[16] ‖ SHA-256(raw VAPID key)[32]) for v2,
/// UUIDs in RFC 4122 (big-endian) byte order, base64url with the '=' padding trimmed.
/// </summary>
public static class EndpointToken
{
    private const int V1Length = 32;
    private const int V2Length = 64;

    /// <summary>Longer text is never one of our tokens; it is refused before any decryption.</summary>
    private const int MaxTokenLength = 512;

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

    /// <summary>
    /// The key hash a subscription with this VAPID public key (base64url, as clients send it) is bound
    /// to; null for no key. False when the key is not base64url.
    /// </summary>
    public static bool TryHashKey(string? publicKey, out byte[]? keyHash)
    {
        keyHash = null;
        if (publicKey is null)
        {
            return true;
        }

        if (!Base64Url.TryDecode(publicKey, out var raw))
        {
            return false;
        }

        keyHash = HashKey(raw);
        return true;
    }

    /// <summary>
    /// Decrypts a token with any configured key and reads it. False for anything that is not a v1
    /// (32-byte) or v2 (64-byte) token of ours.
    /// </summary>
    public static bool TryOpen(FernetKeyRing keys, string token, out EndpointTokenInfo info)
    {
        info = default;
        if (token.Length is 0 or > MaxTokenLength || !keys.TryDecrypt(token, out var plain) || plain.Length is not (V1Length or V2Length))
        {
            return false;
        }

        var uaid = new Guid(plain.AsSpan(0, 16), bigEndian: true);
        var channel = new Guid(plain.AsSpan(16, 16), bigEndian: true);
        info = new EndpointTokenInfo(uaid, channel, plain.Length == V2Length ? plain[V1Length..] : null);
        return true;
    }
}
