using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Push.Grains.Messages;
using Push.Shared;

namespace Push.Silo.Hosting;

/// <summary>Health routes of a silo-only process (for load balancers and Kubernetes probes).</summary>
internal static class SiloHealthRoutes
{
    public static void UseSiloHealth(this IApplicationBuilder app, int port) =>
        app.MapWhen(c => c.Connection.LocalPort == port, branch => branch.Run(async context =>
        {
            if (!await HealthRoutes.TryServeAsync(context, static (_, store) => Body(store), Body))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }
        }));

    // /health, /__heartbeat__ and /status are the same store check here.
    private static object Body(StoreHealth store) => store.Ok
        ? new { status = "OK", version = ServiceVersion.Current }
        : new { status = "ERROR", version = ServiceVersion.Current, error = store.Cause };
}
