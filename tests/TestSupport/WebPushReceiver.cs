using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Push.Testing;

/// <summary>
/// A user agent's WebPush keys and the RFC 8291 / RFC 8188 (aes128gcm) decryption of what arrives,
/// written against the RFCs with .NET's own ECDH, HKDF and AES-GCM.
/// </summary>
public sealed class WebPushReceiver : IDisposable
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public byte[] AuthSecret { get; } = RandomNumberGenerator.GetBytes(16);

    public byte[] PublicKey
    {
        get
        {
            var q = _key.ExportParameters(false).Q;
            return [0x04, .. q.X!, .. q.Y!];
        }
    }

    public byte[] Decrypt(byte[] body)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        var idLength = body[20];
        var senderKey = body[21..(21 + idLength)];
        var ciphertext = body[(21 + idLength)..];
        if (ciphertext.Length > recordSize)
        {
            throw new InvalidOperationException("this receiver reads single-record messages only");
        }

        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = senderKey[1..33], Y = senderKey[33..65] },
        });
        var sharedSecret = _key.DeriveRawSecretAgreement(sender.PublicKey);

        // RFC 8291 §3.4: IKM from the ECDH secret and the auth secret.
        byte[] keyInfo = [.. Encoding.ASCII.GetBytes("WebPush: info"), 0, .. PublicKey, .. senderKey];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, 32, AuthSecret, keyInfo);

        // RFC 8188 §2.2: content encryption key and nonce.
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, [.. Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm"), 0]);
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, [.. Encoding.ASCII.GetBytes("Content-Encoding: nonce"), 0]);

        var plain = new byte[ciphertext.Length - 16];
        using var aes = new AesGcm(cek, 16);
        aes.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plain);

        // Strip the padding: trailing zeros, then the 0x02 delimiter of the last record.
        var end = plain.Length - 1;
        while (end >= 0 && plain[end] == 0)
        {
            end--;
        }

        if (end < 0 || plain[end] != 2)
        {
            throw new CryptographicException("missing last-record delimiter");
        }

        return plain[..end];
    }

    public void Dispose() => _key.Dispose();
}
