using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Push.EndpointFrontend.Health;
using Push.EndpointFrontend.Matrix;
using Push.EndpointFrontend.Metrics;
using Push.EndpointFrontend.Registration;
using Push.EndpointFrontend.Tokens;
using Push.EndpointFrontend.Vapid;
using Push.EndpointFrontend.WebPush;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.Hosting;

public static class EndpointFrontendExtensions
{
    private const string CorsPolicy = "push";

    public static IServiceCollection AddEndpointFrontend(this IServiceCollection services, EndpointFrontendOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new VapidValidator(options.Audiences, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<SubscriptionRateLimiter>();
        services.AddSingleton(new EndpointTokenCache(options.Settings.CryptoKeys));
        services.AddSingleton<WebPushHandler>();
        services.AddSingleton<MessageDeleteHandler>();
        services.AddSingleton<RegistrationHandler>();
        services.AddSingleton<MatrixGatewayHandler>();
        services.AddSingleton<RequestCounter>();
        services.AddMetrics();
        services.AddSingleton<EndpointMetrics>();
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .SetIsOriginAllowed(_ => true)
            .AllowAnyHeader()
            .WithMethods("DELETE", "GET", "POST", "PUT")
            .SetPreflightMaxAge(TimeSpan.FromSeconds(3600))));
        return services;
    }

    /// <summary>Serves the WebPush API on the endpoint port (<c>port</c>), told apart by the local port.</summary>
    public static IApplicationBuilder UseEndpointFrontend(this IApplicationBuilder app)
    {
        var port = app.ApplicationServices.GetRequiredService<EndpointFrontendOptions>().Settings.Port;
        app.MapWhen(c => c.Connection.LocalPort == port, branch =>
        {
            // Any origin may call the API (browsers' service workers and web apps send pushes too).
            branch.UseCors(CorsPolicy);
            branch.Run(ServeAsync);
        });
        return app;
    }

    private static Task ServeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        if (EndpointUrl.TryParsePath(path, out var version, out var token))
        {
            return Only(context, HttpMethods.Post, () => Push(context, version, token));
        }

        var services = context.RequestServices;
        switch (path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            case ["m", var messageId]:
                return Only(context, HttpMethods.Delete, () => services.GetRequiredService<MessageDeleteHandler>().HandleAsync(context, messageId));
            case ["v1", var router, var app, "registration"]:
                return Only(context, HttpMethods.Post, () => services.GetRequiredService<RegistrationHandler>().RegisterAsync(context, router, app));
            case ["v1", var router, var app, "registration", var uaid]:
                return HttpMethods.IsPut(method) || HttpMethods.IsGet(method) || HttpMethods.IsDelete(method)
                    ? services.GetRequiredService<RegistrationHandler>().UserAsync(context, router, app, uaid)
                    : MethodNotAllowed(context);
            case ["v1", var router, _, "registration", var uaid, "subscription"]:
                return Only(context, HttpMethods.Post, () => services.GetRequiredService<RegistrationHandler>().NewChannelAsync(context, router, uaid));
            case ["v1", var router, _, "registration", var uaid, "subscription", var channel]:
                return Only(context, HttpMethods.Delete, () => services.GetRequiredService<RegistrationHandler>().DeleteChannelAsync(context, router, uaid, channel));
            case ["_matrix", "push", "v1", "notify"]:
                return HttpMethods.IsGet(method) ? MatrixGatewayHandler.DiscoverAsync(context)
                    : HttpMethods.IsPost(method) ? services.GetRequiredService<MatrixGatewayHandler>().NotifyAsync(context)
                    : MethodNotAllowed(context);
        }

        if (EndpointHealthRoutes.IsHealthPath(path))
        {
            return HttpMethods.IsGet(method) || HttpMethods.IsHead(method)
                ? EndpointHealthRoutes.ServeAsync(context, path)
                : MethodNotAllowed(context);
        }

        // Unknown paths: 404 with an empty body.
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static Task Push(HttpContext context, string version, string token)
    {
        context.RequestServices.GetRequiredService<RequestCounter>().Increment();
        return context.RequestServices.GetRequiredService<WebPushHandler>().HandleAsync(context, version, token);
    }

    private static Task Only(HttpContext context, string method, Func<Task> handle) =>
        string.Equals(context.Request.Method, method, StringComparison.OrdinalIgnoreCase) ? handle() : MethodNotAllowed(context);

    private static Task MethodNotAllowed(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        return Task.CompletedTask;
    }
}
