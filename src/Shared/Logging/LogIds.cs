using System.Security.Cryptography;

namespace Push.Shared.Logging;

/// <summary>Identifiers as they may appear in logs: hashed, so a log line never holds a raw UAID.</summary>
public static class LogIds
{
    public static string Hash(Guid uaid)
    {
        Span<byte> raw = stackalloc byte[16];
        uaid.TryWriteBytes(raw, bigEndian: true, out _);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(raw, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
