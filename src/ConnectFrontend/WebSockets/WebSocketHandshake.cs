using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Push.ConnectFrontend.WebSockets;

/// <summary>The server side of the RFC 6455 opening handshake (§4.2).</summary>
internal static class WebSocketHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>A GET that asks to upgrade to a WebSocket (the details are checked by <see cref="TryAcceptAsync"/>).</summary>
    public static bool IsUpgradeRequest(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        && context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Answers 101 and returns the upgraded connection, or answers 400/426 and returns null when the
    /// request is not a valid version-13 handshake.
    /// </summary>
    public static async Task<PushWebSocket?> TryAcceptAsync(HttpContext context, int maxMessageBytes)
    {
        var headers = context.Request.Headers;
        if (headers.SecWebSocketVersion.ToString() != "13")
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.SecWebSocketVersion = "13";
            return null;
        }

        var key = headers.SecWebSocketKey.ToString();
        if (!IsValidKey(key) || !headers.Connection.ToString().Contains("upgrade", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = Accept(key);
        var upgraded = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();

        // Small reads: an idle connection then holds at most this much of a pooled buffer.
        var input = PipeReader.Create(upgraded, new StreamPipeReaderOptions(bufferSize: 2048, minimumReadSize: 512, leaveOpen: true));
        var output = PipeWriter.Create(upgraded, new StreamPipeWriterOptions(leaveOpen: true));
        return new PushWebSocket(input, output, maxMessageBytes, context.Abort);
    }

    /// <summary>Writes the 101 answer to a valid handshake read straight off the connection (not yet flushed).</summary>
    public static void WriteSwitchingProtocols(PipeWriter output, string key)
    {
        var answer = $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {Accept(key)}\r\n\r\n";
        output.Advance(Encoding.ASCII.GetBytes(answer, output.GetSpan(answer.Length)));
    }

    // SHA-1 is what RFC 6455 prescribes for the accept value; it protects nothing here.
#pragma warning disable CA5350
    internal static string Accept(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350

    /// <summary>A key is 16 bytes in base64 (§4.1).</summary>
    internal static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }
}
