using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Acks;
using Push.ConnectFrontend.Broadcasts;
using Push.ConnectFrontend.Cluster;
using Push.ConnectFrontend.Health;
using Push.ConnectFrontend.Metrics;
using Push.ConnectFrontend.Sessions;
using Push.ConnectFrontend.WebSockets;

namespace Push.ConnectFrontend.Hosting;

public static class ConnectFrontendExtensions
{
    public static IServiceCollection AddConnectFrontend(this IServiceCollection services, ConnectFrontendOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<SessionHost>();
        services.AddSingleton(sp => new SessionClock(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(new AckRetryOptions());
        services.AddSingleton<AckBatcher>();
        services.AddMetrics();
        services.AddSingleton<ConnectMetrics>();
        services.AddSingleton<BroadcastTracker>();
        services.AddHostedService<MegaphonePoller>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ClusterWatcherOptions());
        services.AddHostedService<ClusterWatcher>();
        services.AddSingleton(sp => ClusterWatcher.GatewayHandler(
            sp.GetRequiredService<SessionRegistry>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<ClusterWatcher>()));

        // A WebSocket client that sends without reading would otherwise fill Kestrel's 1 MB read buffer
        // (and its 64 KiB write buffer) per connection while its session waits to send. Sessions read
        // whole frames into their own buffer, so the transport only needs enough to keep data flowing.
        // The read buffer still holds the largest request head Kestrel accepts (32 KiB).
        services.Configure<SocketTransportOptions>(transport =>
        {
            transport.MaxReadBufferSize = TransportBufferBytes;
            transport.MaxWriteBufferSize = TransportBufferBytes;
        });
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBufferSize = TransportBufferBytes;
            kestrel.Limits.MaxResponseBufferSize = TransportBufferBytes;
        });
        return services;
    }

    /// <summary>What Kestrel buffers for one connection in each direction before it waits for the other end.</summary>
    public const int TransportBufferBytes = 32 * 1024;

    /// <summary>
    /// Takes WebSocket handshakes on the public port straight off the connection (after TLS, when the
    /// port has it), ahead of the HTTP server; see <see cref="DirectWebSocketMiddleware"/>.
    /// </summary>
    public static ListenOptions UseConnectWebSockets(this ListenOptions listen)
    {
        var services = listen.ApplicationServices;
        listen.Use(next => new DirectWebSocketMiddleware(next, services).OnConnectedAsync);
        return listen;
    }

    /// <summary>
    /// Serves the public port (<c>port</c>: the WebSocket at any path, plus health) and the internal
    /// port (<c>router_port</c>: health, later metrics). Requests are told apart by the local port they
    /// arrived on, so both can share one Kestrel server with the endpoint frontend.
    /// </summary>
    public static IApplicationBuilder UseConnectFrontend(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<ConnectFrontendOptions>();
        var publicPort = options.Settings.Port;
        var internalPort = options.Settings.RouterPort;
        app.MapWhen(c => c.Connection.LocalPort == publicPort, branch => branch.Run(ServePublicAsync));
        app.MapWhen(c => c.Connection.LocalPort == internalPort, branch => branch.Run(ServeInternalAsync));
        return app;
    }

    private static async Task ServePublicAsync(HttpContext context)
    {
        if (await ConnectHealthRoutes.TryServeAsync(context))
        {
            return;
        }

        if (WebSocketHandshake.IsUpgradeRequest(context))
        {
            await RunSessionAsync(context);
            return;
        }

        if (context.Request.Path == "/")
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { code = 400, errno = 500, error = "WebSocket upgrade required" });
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private static async Task ServeInternalAsync(HttpContext context)
    {
        if (!await ConnectHealthRoutes.TryServeAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    /// <summary>
    /// An upgrade that reached the HTTP server: one that followed another request on the connection, or
    /// that the connection middleware left to it (a refusal, a bad or unusual handshake).
    /// </summary>
    private static async Task RunSessionAsync(HttpContext context)
    {
        var sessions = context.RequestServices.GetRequiredService<SessionHost>();
        if (!sessions.TryOpen())
        {
            // Refused before the upgrade, with an answer clients treat as "try again later" (the
            // reconnect back-off of browsers and Sunup), instead of a silently dropped socket.
            sessions.Refused();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "10";
            await context.Response.WriteAsJsonAsync(new { code = 503, errno = 500, error = "Too many connections" });
            return;
        }

        PushWebSocket? socket;
        try
        {
            socket = await WebSocketHandshake.TryAcceptAsync(context, sessions.MaxMessageBytes);
        }
        catch
        {
            sessions.Abandon();
            throw;
        }

        if (socket is null)
        {
            sessions.Abandon();
            return;
        }

        await sessions.RunAsync(socket, context.Request.Headers.UserAgent.ToString(), ClientAddress(context));
    }

    /// <summary>
    /// The client's address as the pipeline left it (a trusted proxy's X-Forwarded-For already
    /// applied), IPv4 clients of a dual-stack port written as IPv4.
    /// </summary>
    private static string? ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;
}
