using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Push.Testing;

/// <summary>An application server's VAPID key pair (P-256) that signs RFC 8292 tokens.</summary>
public sealed class VapidSigner : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The raw public key (0x04 ‖ X ‖ Y) in URL-safe base64 without padding, as clients register it.</summary>
    public string PublicKey
    {
        get
        {
            var p = _key.ExportParameters(false).Q;
            return Url([0x04, .. p.X!, .. p.Y!]);
        }
    }

    /// <summary>The private key (the scalar d) in URL-safe base64, as sender libraries take it.</summary>
    public string PrivateKey => Url(_key.ExportParameters(true).D!);

    /// <summary>A signed JWT with the given claims (exp defaults to 12 hours ahead).</summary>
    public string Token(string audience, DateTimeOffset? expires = null, string? subject = "mailto:admin@example.com", object? claimsOverride = null)
    {
        var header = Url(Encoding.UTF8.GetBytes("""{"typ":"JWT","alg":"ES256"}"""));
        object claims = claimsOverride ?? new Dictionary<string, object?>
        {
            ["aud"] = audience,
            ["exp"] = (expires ?? DateTimeOffset.UtcNow.AddHours(12)).ToUnixTimeSeconds(),
            ["sub"] = subject,
        }.Where(kv => kv.Value is not null).ToDictionary();
        var payload = Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256);
        return $"{header}.{payload}.{Url(signature)}";
    }

    /// <summary>The RFC 8292 header value: <c>vapid t=…, k=…</c>.</summary>
    public string Authorization(string audience, DateTimeOffset? expires = null) => $"vapid t={Token(audience, expires)}, k={PublicKey}";

    public void Dispose() => _key.Dispose();

    private static string Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
