using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Push.EndpointFrontend.Health;
using Push.EndpointFrontend.Vapid;
using Push.EndpointFrontend.WebPush;

namespace Push.EndpointFrontend.Hosting;

public static class EndpointFrontendExtensions
{
    public static IServiceCollection AddEndpointFrontend(this IServiceCollection services, EndpointFrontendOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new VapidValidator(options.Audiences, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<WebPushHandler>();
        services.AddSingleton<MessageDeleteHandler>();
        return services;
    }

    /// <summary>Serves the WebPush API on the endpoint port (<c>port</c>), told apart by the local port.</summary>
    public static IApplicationBuilder UseEndpointFrontend(this IApplicationBuilder app)
    {
        var port = app.ApplicationServices.GetRequiredService<EndpointFrontendOptions>().Settings.Port;
        app.MapWhen(c => c.Connection.LocalPort == port, branch => branch.Run(ServeAsync));
        return app;
    }

    private static Task ServeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var services = context.RequestServices;
        switch (segments)
        {
            case ["wpush", var token]:
                return HttpMethods.IsPost(method)
                    ? services.GetRequiredService<WebPushHandler>().HandleAsync(context, "v1", token)
                    : MethodNotAllowed(context);
            case ["wpush", var version, var token]:
                return HttpMethods.IsPost(method)
                    ? services.GetRequiredService<WebPushHandler>().HandleAsync(context, version, token)
                    : MethodNotAllowed(context);
            case ["m", var messageId]:
                return HttpMethods.IsDelete(method)
                    ? services.GetRequiredService<MessageDeleteHandler>().HandleAsync(context, messageId)
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

    private static Task MethodNotAllowed(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        return Task.CompletedTask;
    }
}
