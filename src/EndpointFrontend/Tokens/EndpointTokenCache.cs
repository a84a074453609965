using System.Collections.Concurrent;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.Tokens;

/// <summary>
/// Opened endpoint tokens, so an app server pushing to the same endpoint again costs no AES and HMAC
/// (each push also mints a message id, which cannot be cached). Only tokens that decrypted are kept,
/// keyed by their full text; at <see cref="Capacity"/> entries the cache starts over, so it never holds
/// more than about <see cref="Capacity"/> × 200 bytes.
/// </summary>
internal sealed class EndpointTokenCache(FernetKeyRing keys)
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, EndpointTokenInfo> _opened = new(StringComparer.Ordinal);

    /// <summary>How many opened tokens are kept now.</summary>
    public int Count => _opened.Count;

    /// <summary>Opens a token with the configured keys; the key hash is shared, so it must not be changed.</summary>
    public bool TryOpen(string token, out EndpointTokenInfo info)
    {
        if (_opened.TryGetValue(token, out info))
        {
            return true;
        }

        if (!EndpointToken.TryOpen(keys, token, out info))
        {
            return false;
        }

        if (_opened.Count >= Capacity)
        {
            _opened.Clear();
        }

        _opened[token] = info;
        return true;
    }
}
