using System.Text;

namespace Push.ConnectFrontend.WebSockets;

/// <summary>
/// The header fields of a request head that decide whether it is a plain WebSocket opening handshake,
/// collected one line at a time. A line that is not a well-formed field, or a field that would need the
/// HTTP server's own handling (a body, a repeated handshake field), makes <see cref="Add"/> return false.
/// </summary>
internal sealed class HandshakeFields
{
    private int _hosts;
    private bool _upgradeToWebSocket;
    private bool _connectionUpgrade;
    private string? _version;
    private string? _key;
    private string? _userAgent;
    private string? _forwardedFor;

    public string? Key => _key;

    public string? UserAgent => _userAgent;

    /// <summary>Every <c>X-Forwarded-For</c> field, joined with commas in order (null: none).</summary>
    public string? ForwardedFor => _forwardedFor;

    public bool IsValidHandshake =>
        _hosts == 1 && _upgradeToWebSocket && _connectionUpgrade && _version == "13" && Key is not null && WebSocketHandshake.IsValidKey(Key);

    /// <summary>Takes one <c>name: value</c> line; false when the request is not for this fast path.</summary>
    public bool Add(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !IsToken(line[..colon]))
        {
            // No name, whitespace before the colon, or a folded continuation line.
            return false;
        }

        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (Is(name, "Host"))
        {
            _hosts++;
        }
        else if (Is(name, "Upgrade"))
        {
            _upgradeToWebSocket |= Encoding.ASCII.GetString(value).Contains("websocket", StringComparison.OrdinalIgnoreCase);
        }
        else if (Is(name, "Connection"))
        {
            _connectionUpgrade |= HasToken(value, "upgrade");
        }
        else if (Is(name, "Sec-WebSocket-Version"))
        {
            return Once(ref _version, value);
        }
        else if (Is(name, "Sec-WebSocket-Key"))
        {
            return Once(ref _key, value);
        }
        else if (Is(name, "User-Agent"))
        {
            return Once(ref _userAgent, value);
        }
        else if (Is(name, "X-Forwarded-For"))
        {
            var text = Encoding.ASCII.GetString(value);
            _forwardedFor = _forwardedFor is null ? text : _forwardedFor + "," + text;
        }
        else if (Is(name, "Content-Length") || Is(name, "Transfer-Encoding"))
        {
            return false;
        }

        return true;
    }

    private static bool Once(ref string? field, ReadOnlySpan<byte> value)
    {
        if (field is not null)
        {
            return false;
        }

        field = Encoding.ASCII.GetString(value);
        return true;
    }

    private static bool Is(ReadOnlySpan<byte> name, string expected) =>
        name.Length == expected.Length && Ascii.EqualsIgnoreCase(name, expected);

    private static bool HasToken(ReadOnlySpan<byte> list, string token)
    {
        foreach (var range in list.Split((byte)','))
        {
            if (Is(list[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }

    // RFC 9110 §5.6.2 token characters.
    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b)))
            {
                return false;
            }
        }

        return true;
    }
}
