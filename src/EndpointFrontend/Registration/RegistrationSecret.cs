using System.Security.Cryptography;
using System.Text;

namespace Push.EndpointFrontend.Registration;

/// <summary>
/// The secret of a registered user: lowercase hex of HMAC-SHA256(key = the auth key's UTF-8 bytes,
/// message = the UAID as 32 hex digits), as autopush computes it, so its secrets keep working.
/// </summary>
internal static class RegistrationSecret
{
    public static string Create(string authKey, Guid uaid) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(authKey), Encoding.ASCII.GetBytes(uaid.ToString("N"))));

    /// <summary>True when <paramref name="presented"/> matches the secret under any auth key (constant time).</summary>
    public static bool IsValid(string presented, Guid uaid, IReadOnlyList<string> authKeys)
    {
        var presentedBytes = Encoding.UTF8.GetBytes(presented);
        var valid = false;
        foreach (var key in authKeys)
        {
            // Every key is checked, so the time taken does not tell which one matched.
            valid |= CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Create(key, uaid)), presentedBytes);
        }

        return valid;
    }
}
