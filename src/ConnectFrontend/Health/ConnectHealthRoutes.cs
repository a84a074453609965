using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Push.ConnectFrontend.Sessions;
using Push.Grains;
using Push.Shared;
using Push.Shared.Crypto;

namespace Push.ConnectFrontend.Health;

/// <summary>The health routes of the connect frontend, served on both of its ports.</summary>
internal static class ConnectHealthRoutes
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static async Task<bool> TryServeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            return false;
        }

        var response = context.Response;
        switch (context.Request.Path.Value)
        {
            case HealthPaths.Health or HealthPaths.Heartbeat:
                var sessions = context.RequestServices.GetRequiredService<SessionRegistry>();
                var health = await context.RequestServices.GetRequiredService<IGrainFactory>().CheckStoreAsync(CheckTimeout);
                var keys = context.RequestServices.GetService<KeyConsistency>()?.Problem;
                object healthBody = keys is null
                    ? new { status = health.Ok ? "OK" : "ERROR", version = ServiceVersion.Current, connections = sessions.Count }
                    : new { status = "ERROR", version = ServiceVersion.Current, connections = sessions.Count, crypto_key = keys };
                await response.WriteAsJsonAsync(healthBody);
                return true;
            case HealthPaths.Status:
                var status = await context.RequestServices.GetRequiredService<IGrainFactory>().CheckStoreAsync(CheckTimeout);
                object body = status.Ok
                    ? new { version = ServiceVersion.Current, status = "OK" }
                    : new { version = ServiceVersion.Current, status = "ERROR", error = status.Cause };
                await response.WriteAsJsonAsync(body);
                return true;
            case HealthPaths.LoadBalancerHeartbeat:
                response.StatusCode = StatusCodes.Status200OK;
                return true;
            case HealthPaths.Version:
                await response.WriteAsJsonAsync(VersionInfo.Current);
                return true;
            default:
                return false;
        }
    }
}
