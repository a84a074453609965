using System.Security.Cryptography;

namespace Push.Shared.Crypto;

/// <summary>A short, one-way fingerprint of a key, safe to log and to compare across processes.</summary>
public static class KeyFingerprint
{
    public static string Of(byte[] key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(key, hash);
        return Convert.ToHexStringLower(hash[..6]);
    }
}
