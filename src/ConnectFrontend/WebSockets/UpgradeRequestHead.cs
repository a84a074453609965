using System.Buffers;
using System.Text;
using Push.Shared;

namespace Push.ConnectFrontend.WebSockets;

/// <summary>What reading a request head off a connection found.</summary>
internal enum HeadParse
{
    /// <summary>The head has not fully arrived yet.</summary>
    Incomplete,

    /// <summary>A valid WebSocket opening handshake.</summary>
    Upgrade,

    /// <summary>Anything else: left for the HTTP server to answer as it answers every request.</summary>
    Other,
}

/// <summary>
/// The head of an HTTP/1.1 request read straight off a connection, for the WebSocket opening handshake
/// (RFC 6455 §4.2.1) without the HTTP server's per-request objects. Only a plain, valid handshake
/// counts: <c>GET</c> of an origin-form path, one <c>Host</c>, no body, <c>Upgrade: websocket</c>,
/// <c>Connection: upgrade</c>, version 13 and a well-formed key, printable ASCII throughout. Anything
/// else (a wrong version, a health route, an odd or oversized head) is <see cref="HeadParse.Other"/>.
/// </summary>
internal sealed class UpgradeRequestHead
{
    /// <summary>The largest head taken here; a longer one goes to the HTTP server (and its own limits).</summary>
    public const int MaxBytes = 8 * 1024;

    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    private UpgradeRequestHead(string key, string? userAgent, string? forwardedFor)
    {
        Key = key;
        UserAgent = userAgent;
        ForwardedFor = forwardedFor;
    }

    public string Key { get; }

    public string? UserAgent { get; }

    /// <summary>The <c>X-Forwarded-For</c> list as sent, believed only from trusted proxies (<see cref="ForwardedClient"/>).</summary>
    public string? ForwardedFor { get; }

    /// <summary>Looks for a complete head at the start of <paramref name="buffer"/>; <paramref name="end"/> is just past it.</summary>
    public static HeadParse TryParse(ReadOnlySequence<byte> buffer, out UpgradeRequestHead? head, out SequencePosition end)
    {
        head = null;
        end = buffer.Start;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> text, EndOfHead))
        {
            return buffer.Length >= MaxBytes ? HeadParse.Other : HeadParse.Incomplete;
        }

        if (text.Length > MaxBytes)
        {
            return HeadParse.Other;
        }

        end = reader.Position;
        Span<byte> bytes = stackalloc byte[(int)text.Length];
        text.CopyTo(bytes);
        head = Parse(bytes);
        return head is null ? HeadParse.Other : HeadParse.Upgrade;
    }

    private static UpgradeRequestHead? Parse(ReadOnlySpan<byte> head)
    {
        if (ContainsOtherThanLineBreaksAndTabs(head))
        {
            return null;
        }

        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? head : head[..lineEnd];
        if (!IsGetOfPath(requestLine))
        {
            return null;
        }

        var fields = new HandshakeFields();
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var next = rest.IndexOf("\r\n"u8);
            var line = next < 0 ? rest : rest[..next];
            rest = next < 0 ? [] : rest[(next + 2)..];
            if (!fields.Add(line))
            {
                return null;
            }
        }

        return fields.IsValidHandshake ? new UpgradeRequestHead(fields.Key!, fields.UserAgent, fields.ForwardedFor) : null;
    }

    // Tabs may appear in header values; any other control byte, or a bare CR or LF, is not a plain request.
    private static bool ContainsOtherThanLineBreaksAndTabs(ReadOnlySpan<byte> head)
    {
        for (var i = 0; i < head.Length; i++)
        {
            var b = head[i];
            if (b is >= 0x20 and <= 0x7E or (byte)'\t')
            {
                continue;
            }

            if (b == '\r' && i + 1 < head.Length && head[i + 1] == '\n')
            {
                i++;
                continue;
            }

            return true;
        }

        return false;
    }

    /// <summary><c>GET /path HTTP/1.1</c>, where the path is none of the health routes (those are served over HTTP).</summary>
    private static bool IsGetOfPath(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("GET /"u8) || !line.EndsWith(" HTTP/1.1"u8))
        {
            return false;
        }

        // Escapes and dot segments are left to the HTTP server, which decodes and normalises them.
        var target = line[4..^9];
        if (target.IndexOfAny((byte)' ', (byte)'%', (byte)'\t') >= 0 || target.IndexOf("/."u8) >= 0)
        {
            return false;
        }

        var query = target.IndexOf((byte)'?');
        var path = Encoding.ASCII.GetString(query < 0 ? target : target[..query]);
        return !HealthPaths.All.Contains(path);
    }
}
