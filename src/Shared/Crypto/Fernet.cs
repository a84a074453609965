using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Push.Shared.Crypto;

/// <summary>
/// One Fernet key (https://github.com/fernet/spec): version 0x80, big-endian seconds timestamp,
/// 16-byte IV, AES-128-CBC ciphertext, HMAC-SHA256 over everything before it.
/// </summary>
public sealed class Fernet
{
    public const int KeyLength = 32;
    private const byte Version = 0x80;
    private const int HeaderLength = 1 + 8 + 16;
    private const int MacLength = 32;
    private const int MaxClockSkewSeconds = 60;

    private readonly byte[] _signingKey;
    private readonly byte[] _encryptionKey;
    private readonly ThreadLocal<Aes> _aes;

    public Fernet(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"A Fernet key is {KeyLength} bytes, not {key.Length}.", nameof(key));
        }

        _signingKey = key[..16].ToArray();
        _encryptionKey = key[16..].ToArray();
        var encryptionKey = _encryptionKey;
        _aes = new ThreadLocal<Aes>(() =>
        {
            var aes = Aes.Create();
            aes.Key = encryptionKey;
            return aes;
        });
    }

    /// <summary>Encrypts with a fresh random IV and the current time.</summary>
    public string Encrypt(ReadOnlySpan<byte> plaintext)
    {
        Span<byte> iv = stackalloc byte[16];
        RandomNumberGenerator.Fill(iv);
        return Encrypt(plaintext, DateTimeOffset.UtcNow, iv);
    }

    /// <summary>Encrypts with a given time and IV (the specification's generate vectors use fixed ones).</summary>
    public string Encrypt(ReadOnlySpan<byte> plaintext, DateTimeOffset now, ReadOnlySpan<byte> iv)
    {
        // Message ids are made for every push: the token and its text are built on the stack (or in
        // pooled arrays for rare long inputs), so the only allocation is the returned string.
        var cipherLength = (plaintext.Length / 16 + 1) * 16;
        var tokenLength = HeaderLength + cipherLength + MacLength;
        var textLength = (tokenLength + 2) / 3 * 4;
        byte[]? rentedToken = null;
        char[]? rentedText = null;
        try
        {
            var token = tokenLength <= MaxStackBytes ? stackalloc byte[tokenLength] : (rentedToken = ArrayPool<byte>.Shared.Rent(tokenLength)).AsSpan(0, tokenLength);
            token[0] = Version;
            BinaryPrimitives.WriteInt64BigEndian(token.Slice(1, 8), now.ToUnixTimeSeconds());
            iv.CopyTo(token.Slice(9, 16));
            var written = _aes.Value!.EncryptCbc(plaintext, iv, token.Slice(HeaderLength, cipherLength), PaddingMode.PKCS7);
            if (written != cipherLength)
            {
                throw new CryptographicException("Unexpected ciphertext length.");
            }

            HMACSHA256.HashData(_signingKey, token[..(HeaderLength + cipherLength)], token[(HeaderLength + cipherLength)..]);

            // Fernet's text form is URL-safe base64 with padding.
            var text = textLength <= MaxStackBytes / 2 ? stackalloc char[textLength] : (rentedText = ArrayPool<char>.Shared.Rent(textLength)).AsSpan(0, textLength);
            Convert.TryToBase64Chars(token, text, out _);
            text.Replace('+', '-');
            text.Replace('/', '_');
            return new string(text);
        }
        finally
        {
            if (rentedToken is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedToken);
            }

            if (rentedText is not null)
            {
                ArrayPool<char>.Shared.Return(rentedText);
            }
        }
    }

    private const int MaxStackBytes = 1024;

    /// <summary>
    /// Verifies and decrypts a token. Without <paramref name="ttl"/> the age of the token is not checked,
    /// which is how push endpoints and message ids are used (they never expire by age).
    /// </summary>
    public bool TryDecrypt(string token, out byte[] plaintext, TimeSpan? ttl = null, DateTimeOffset? now = null)
    {
        plaintext = [];
        if (!Base64Url.TryDecode(token, out var data))
        {
            return false;
        }

        return TryDecrypt(data, out plaintext, ttl, now);
    }

    internal bool TryDecrypt(ReadOnlySpan<byte> data, out byte[] plaintext, TimeSpan? ttl, DateTimeOffset? now)
    {
        plaintext = [];
        var cipherLength = data.Length - HeaderLength - MacLength;
        if (cipherLength < 16 || cipherLength % 16 != 0 || data[0] != Version)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(_signingKey, data[..(HeaderLength + cipherLength)], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, data[(HeaderLength + cipherLength)..]))
        {
            return false;
        }

        if (ttl is { } maxAge)
        {
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(data.Slice(1, 8));
            var current = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            if (timestamp + (long)maxAge.TotalSeconds < current || timestamp > current + MaxClockSkewSeconds)
            {
                return false;
            }
        }

        try
        {
            plaintext = _aes.Value!.DecryptCbc(data.Slice(HeaderLength, cipherLength), data.Slice(9, 16), PaddingMode.PKCS7);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
