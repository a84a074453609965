using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Push.Grains;
using Push.Shared;

namespace Push.Silo.Hosting;

/// <summary>Health routes of a silo-only process (for load balancers and Kubernetes probes).</summary>
internal static class SiloHealthRoutes
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static void UseSiloHealth(this IApplicationBuilder app, int port) =>
        app.MapWhen(c => c.Connection.LocalPort == port, branch => branch.Run(async context =>
        {
            switch (context.Request.Path.Value)
            {
                case HealthPaths.Health or HealthPaths.Heartbeat or HealthPaths.Status:
                    var store = await context.RequestServices.GetRequiredService<IGrainFactory>().CheckStoreAsync(CheckTimeout);
                    object body = store.Ok
                        ? new { status = "OK", version = ServiceVersion.Current }
                        : new { status = "ERROR", version = ServiceVersion.Current, error = store.Cause };
                    await context.Response.WriteAsJsonAsync(body);
                    break;
                case HealthPaths.LoadBalancerHeartbeat:
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    break;
                case HealthPaths.Version:
                    await context.Response.WriteAsJsonAsync(VersionInfo.Current);
                    break;
                default:
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    break;
            }
        }));
}
