using System.Security.Cryptography;
using System.Text;

namespace Push.Silo.Dashboard;

/// <summary>One user name and password, checked against an HTTP Basic <c>Authorization</c> header.</summary>
internal sealed class BasicCredential(string username, string password)
{
    private const string Scheme = "Basic ";

    // Hashes of equal length, compared in constant time: neither the password's length nor the
    // position of the first wrong byte shows in the answer time.
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes($"{username}:{password}"));

    public bool Matches(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = authorization.AsSpan(Scheme.Length).Trim();
        var decoded = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(encoded, decoded, out var length))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(decoded.AsSpan(0, length)), _expected);
    }
}
