using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Push.Grains;
using Push.Grains.Messages;

namespace Push.Shared;

/// <summary>
/// Serves the <see cref="HealthPaths"/> the same way in every process; each process only says what its
/// <c>/health</c> and <c>/status</c> bodies hold, given the store's answer.
/// </summary>
public static class HealthRoutes
{
    private static readonly TimeSpan StoreCheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Answers a health route: <paramref name="health"/> for <c>/health</c> and <c>/__heartbeat__</c>,
    /// <paramref name="status"/> for <c>/status</c> (both as JSON, after asking the store), 200 for
    /// <c>/__lbheartbeat__</c>, the build for <c>/__version__</c>. False for any other path.
    /// </summary>
    public static async Task<bool> TryServeAsync(HttpContext context, Func<HttpContext, StoreHealth, object> health, Func<StoreHealth, object> status)
    {
        var response = context.Response;
        switch (context.Request.Path.Value)
        {
            case HealthPaths.Health or HealthPaths.Heartbeat:
                await response.WriteAsJsonAsync(health(context, await CheckStoreAsync(context)));
                return true;
            case HealthPaths.Status:
                await response.WriteAsJsonAsync(status(await CheckStoreAsync(context)));
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

    private static Task<StoreHealth> CheckStoreAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<IGrainFactory>().CheckStoreAsync(StoreCheckTimeout);
}
