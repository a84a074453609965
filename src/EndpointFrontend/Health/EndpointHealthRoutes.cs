using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Push.EndpointFrontend.Errors;
using Push.Grains.Messages;
using Push.Shared;
using Push.Shared.Crypto;

namespace Push.EndpointFrontend.Health;

/// <summary>The health routes of the endpoint frontend; <c>/health</c> reports whether the store answers.</summary>
internal static class EndpointHealthRoutes
{
    public static bool IsHealthPath(string path) => HealthPaths.All.Contains(path) || IsErrorPath(path);

    public static async Task ServeAsync(HttpContext context, string path)
    {
        if (IsErrorPath(path))
        {
            // The reference's error-reporting check; here it only answers, nothing crashes.
            await new ApiError(418, 999, "ERROR:Success").WriteAsync(context.Response);
            return;
        }

        await HealthRoutes.TryServeAsync(context, Health, Status);
    }

    private static bool IsErrorPath(string path) => path is "/__error__" or "/v1/err";

    private static object Health(HttpContext context, StoreHealth store)
    {
        object table = store.Ok ? new { status = "OK" } : new { status = "NOT OK", cause = store.Cause };
        var keys = context.RequestServices.GetService<KeyConsistency>()?.Problem;
        return new
        {
            status = store.Ok && keys is null ? "OK" : "ERROR",
            version = ServiceVersion.Current,
            router_table = table,
            message_table = table,
            routers = new { apns = false, fcm = false },
            request_count = context.RequestServices.GetRequiredService<RequestCounter>().Count,
            crypto_keys = keys ?? "OK",
        };
    }

    private static object Status(StoreHealth store) => new { status = store.Ok ? "OK" : "ERROR", version = ServiceVersion.Current };
}
