using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Push.Testing.Autopush;

/// <summary>
/// Endpoint URLs and message ids minted as autopush-rs mints them (autopush-common/src/endpoint.rs,
/// autoendpoint's message_id.rs), with Fernet built here from the spec, not with Push's own code.
/// </summary>
public sealed class AutopushTokens(byte[] key)
{
    /// <summary>A fresh 32-byte Fernet key, and its text as <c>crypto_key</c> takes it.</summary>
    public static (byte[] Key, string Setting) NewKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        return (key, Convert.ToBase64String(key).Replace('+', '-').Replace('/', '_'));
    }

    /// <summary>v1: Fernet(uaid ‖ chid), the padding trimmed, under <c>{endpoint_url}/wpush/v1/</c>.</summary>
    public string EndpointV1(string endpointUrl, Guid uaid, Guid chid) =>
        $"{endpointUrl.TrimEnd('/')}/wpush/v1/{Fernet([.. Bytes(uaid), .. Bytes(chid)]).TrimEnd('=')}";

    /// <summary>v2: Fernet(uaid ‖ chid ‖ SHA-256(raw VAPID public key)), for a subscription made with a key.</summary>
    public string EndpointV2(string endpointUrl, Guid uaid, Guid chid, string vapidPublicKey) =>
        $"{endpointUrl.TrimEnd('/')}/wpush/v2/{Fernet([.. Bytes(uaid), .. Bytes(chid), .. SHA256.HashData(FromBase64Url(vapidPublicKey))]).TrimEnd('=')}";

    /// <summary>A message id: Fernet of <c>02:uaid:chid:sortkey_ms</c>, or <c>01:uaid:chid:topic</c>, padding kept.</summary>
    public string MessageId(Guid uaid, Guid chid, string? topic, ulong sortKeyMilliseconds) =>
        Fernet(Encoding.ASCII.GetBytes(topic is null ? $"02:{uaid:N}:{chid:N}:{sortKeyMilliseconds}" : $"01:{uaid:N}:{chid:N}:{topic}"));

    /// <summary>A Fernet token (version 0x80, time, IV, AES-128-CBC, HMAC-SHA256) in URL-safe base64.</summary>
    public string Fernet(byte[] plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = key[16..];
        var iv = RandomNumberGenerator.GetBytes(16);
        var cipher = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
        var token = new byte[1 + 8 + 16 + cipher.Length + 32];
        token[0] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(token.AsSpan(1), (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        iv.CopyTo(token, 9);
        cipher.CopyTo(token, 25);
        HMACSHA256.HashData(key.AsSpan(0, 16), token.AsSpan(0, token.Length - 32)).CopyTo(token, token.Length - 32);
        return Convert.ToBase64String(token).Replace('+', '-').Replace('/', '_');
    }

    // Rust's Uuid::as_bytes: RFC 4122 order.
    private static byte[] Bytes(Guid id) => id.ToByteArray(bigEndian: true);

    private static byte[] FromBase64Url(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight((text.Length + 3) / 4 * 4, '='));
}
