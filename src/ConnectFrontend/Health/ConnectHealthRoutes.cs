using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Push.ConnectFrontend.Sessions;
using Push.Grains.Messages;
using Push.Shared;
using Push.Shared.Crypto;

namespace Push.ConnectFrontend.Health;

/// <summary>The health routes of the connect frontend, served on both of its ports.</summary>
internal static class ConnectHealthRoutes
{
    public static Task<bool> TryServeAsync(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? HealthRoutes.TryServeAsync(context, Health, Status)
            : Task.FromResult(false);

    private static object Health(HttpContext context, StoreHealth store)
    {
        var connections = context.RequestServices.GetRequiredService<SessionRegistry>().Count;
        var keys = context.RequestServices.GetService<KeyConsistency>()?.Problem;
        return keys is null
            ? new { status = store.Ok ? "OK" : "ERROR", version = ServiceVersion.Current, connections }
            : new { status = "ERROR", version = ServiceVersion.Current, connections, crypto_key = keys };
    }

    private static object Status(StoreHealth store) => store.Ok
        ? new { version = ServiceVersion.Current, status = "OK" }
        : new { version = ServiceVersion.Current, status = "ERROR", error = store.Cause };
}
