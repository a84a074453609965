using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Push.ConnectFrontend.Sessions;
using Push.ConnectFrontend.WebSockets;

namespace Push.ConnectFrontend.Hosting;

/// <summary>
/// Connection middleware of the public WebSocket port: reads the first request head itself and, when it
/// is a valid WebSocket handshake, answers 101 and runs the session straight on the connection's pipes.
/// An idle connection then holds only its socket and session, not an HTTP connection with its request,
/// headers, streams and buffers. Every other request (health routes, bad handshakes, refusals for
/// <c>max_connections</c>) is left unread and handed to the HTTP server, which answers it as before.
/// </summary>
internal sealed class DirectWebSocketMiddleware(ConnectionDelegate next, IServiceProvider services)
{
    private SessionHost? _sessions;

    private SessionHost Sessions => _sessions ??= services.GetRequiredService<SessionHost>();

    public async Task OnConnectedAsync(ConnectionContext connection)
    {
        UpgradeRequestHead? head;
        try
        {
            head = await TakeHandshakeAsync(connection);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Gone, or too slow to send its request head.
            return;
        }

        if (head is null)
        {
            await next(connection);
            return;
        }

        var output = connection.Transport.Output;
        try
        {
            WebSocketHandshake.WriteSwitchingProtocols(output, head.Key);
            await output.FlushAsync();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            Sessions.Abandon();
            return;
        }

        var socket = new PushWebSocket(connection.Transport.Input, output, Sessions.MaxMessageBytes, connection.Abort);
        var client = ForwardedClient.Resolve((connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address, head.ForwardedFor, Sessions.TrustedProxies);
        await Sessions.RunAsync(socket, head.UserAgent, client?.ToString());
    }

    /// <summary>
    /// The handshake, taken off the input once a session is admitted for it; or null, with the input left
    /// unread, for the HTTP server. A head must be complete within the handshake timeout: a connection
    /// that is slower is dropped (its pending read cannot be handed over).
    /// </summary>
    private async Task<UpgradeRequestHead?> TakeHandshakeAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(Sessions.HandshakeTimeout);
        using var onTimeout = timeout.Token.UnsafeRegister(static c => ((ConnectionContext)c!).Abort(), connection);
        while (true)
        {
            var read = await input.ReadAsync();
            var buffer = read.Buffer;
            var parsed = UpgradeRequestHead.TryParse(buffer, out var head, out var end);
            if (parsed == HeadParse.Upgrade && Sessions.TryOpen())
            {
                input.AdvanceTo(end);
                return head;
            }

            if (parsed != HeadParse.Incomplete || read.IsCompleted || read.IsCanceled)
            {
                // Nothing consumed or examined: the HTTP server reads the same bytes from the start.
                input.AdvanceTo(buffer.Start);
                return null;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
