namespace Push.Shared.Crypto;

/// <summary>
/// A list of Fernet keys: the first one encrypts, every one is tried for decryption,
/// so keys can be rotated by putting the new key first and keeping the old one behind it.
/// </summary>
public sealed class FernetKeyRing
{
    private readonly Fernet[] _keys;

    public FernetKeyRing(IReadOnlyList<byte[]> keys)
    {
        if (keys.Count == 0)
        {
            throw new ArgumentException("A key ring needs at least one key.", nameof(keys));
        }

        _keys = [.. keys.Select(k => new Fernet(k))];
        Fingerprints = [.. keys.Select(KeyFingerprint.Of)];
    }

    /// <summary>Short, non-secret fingerprints of the keys, in order (for mismatch reports).</summary>
    public IReadOnlyList<string> Fingerprints { get; }

    public string Encrypt(ReadOnlySpan<byte> plaintext) => _keys[0].Encrypt(plaintext);

    public bool TryDecrypt(string token, out byte[] plaintext)
    {
        plaintext = [];
        if (!Base64Url.TryDecode(token, out var data))
        {
            return false;
        }

        foreach (var key in _keys)
        {
            if (key.TryDecrypt(data, out plaintext, ttl: null, now: null))
            {
                return true;
            }
        }

        return false;
    }
}
