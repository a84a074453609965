using Microsoft.AspNetCore.Http;

namespace Push.Silo.Dashboard;

/// <summary>
/// Runs after routing: the dashboard's routes answer only on the dashboard port and only with the
/// credential. On any other port they do not exist (the request goes on as if nothing had matched).
/// </summary>
internal sealed class DashboardGate(RequestDelegate next, int port, BasicCredential credential)
{
    private const string Challenge = "Basic realm=\"Push dashboard\", charset=\"UTF-8\"";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is null)
        {
            return next(context);
        }

        if (context.Connection.LocalPort != port)
        {
            // The dashboard's routes are the only endpoints Push maps; elsewhere they must not even
            // answer 405, which would tell that they exist.
            context.SetEndpoint(null);
            return next(context);
        }

        if (credential.Matches(context.Request.Headers.Authorization))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = Challenge;
        return Task.CompletedTask;
    }
}
