using Microsoft.AspNetCore.Http;
using Push.Shared;

namespace Push.EndpointFrontend.Health;

/// <summary>The health routes of the endpoint frontend.</summary>
internal static class EndpointHealthRoutes
{
    public static bool IsHealthPath(string path) => path is "/health" or "/__heartbeat__" or "/status" or "/__lbheartbeat__" or "/__version__";

    public static async Task ServeAsync(HttpContext context, string path)
    {
        var response = context.Response;
        switch (path)
        {
            case "/health" or "/__heartbeat__":
                await response.WriteAsJsonAsync(new
                {
                    status = "OK",
                    version = ServiceVersion.Current,
                    router_table = new { status = "OK" },
                    message_table = new { status = "OK" },
                    routers = new { apns = false, fcm = false },
                });
                break;
            case "/status":
                await response.WriteAsJsonAsync(new { status = "OK", version = ServiceVersion.Current });
                break;
            case "/__lbheartbeat__":
                response.StatusCode = StatusCodes.Status200OK;
                break;
            case "/__version__":
                await response.WriteAsJsonAsync(VersionInfo.Current);
                break;
        }
    }
}
