using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Push.EndpointFrontend.Errors;
using Push.Grains;
using Push.Shared;
using Push.Shared.Crypto;

namespace Push.EndpointFrontend.Health;

/// <summary>The health routes of the endpoint frontend; <c>/health</c> reports whether the store answers.</summary>
internal static class EndpointHealthRoutes
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static bool IsHealthPath(string path) =>
        path is HealthPaths.Health or HealthPaths.Heartbeat or HealthPaths.Status or HealthPaths.LoadBalancerHeartbeat or HealthPaths.Version or "/__error__" or "/v1/err";

    public static async Task ServeAsync(HttpContext context, string path)
    {
        var response = context.Response;
        switch (path)
        {
            case HealthPaths.Health or HealthPaths.Heartbeat:
                var store = await context.RequestServices.GetRequiredService<IGrainFactory>().CheckStoreAsync(CheckTimeout);
                object table = store.Ok ? new { status = "OK" } : new { status = "NOT OK", cause = store.Cause };
                var keys = context.RequestServices.GetService<KeyConsistency>()?.Problem;
                await response.WriteAsJsonAsync(new
                {
                    status = store.Ok && keys is null ? "OK" : "ERROR",
                    version = ServiceVersion.Current,
                    router_table = table,
                    message_table = table,
                    routers = new { apns = false, fcm = false },
                    request_count = context.RequestServices.GetRequiredService<RequestCounter>().Count,
                    crypto_keys = keys ?? "OK",
                });
                break;
            case HealthPaths.Status:
                var status = await context.RequestServices.GetRequiredService<IGrainFactory>().CheckStoreAsync(CheckTimeout);
                await response.WriteAsJsonAsync(new { status = status.Ok ? "OK" : "ERROR", version = ServiceVersion.Current });
                break;
            case HealthPaths.LoadBalancerHeartbeat:
                response.StatusCode = StatusCodes.Status200OK;
                break;
            case HealthPaths.Version:
                await response.WriteAsJsonAsync(VersionInfo.Current);
                break;
            case "/__error__" or "/v1/err":
                // The reference's error-reporting check; here it only answers, nothing crashes.
                await new ApiError(418, 999, "ERROR:Success").WriteAsync(response);
                break;
        }
    }
}
