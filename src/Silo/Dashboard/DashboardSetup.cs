using Microsoft.AspNetCore.Builder;
using Orleans.Dashboard;
using Push.Silo.Hosting;

namespace Push.Silo.Dashboard;

/// <summary>The Orleans dashboard, when <c>dashboard_port</c> is set: collected by the silo, served on its own port behind Basic auth.</summary>
internal static class DashboardSetup
{
    /// <summary>Where the dashboard's page is: <c>http://host:dashboard_port/dashboard/</c>.</summary>
    public const string RoutePrefix = "/dashboard";

    public static void AddPushDashboard(this ISiloBuilder silo, SiloSettings settings)
    {
        if (settings.DashboardPort is not null)
        {
            silo.AddDashboard();
        }
    }

    public static void UsePushDashboard(this WebApplication app, SiloSettings settings)
    {
        if (settings.DashboardPort is not { } port)
        {
            return;
        }

        var credential = new BasicCredential(settings.DashboardUsername!, settings.DashboardPassword!);
        app.MapOrleansDashboard(RoutePrefix);

        // Routing and the endpoints run here, ahead of the frontends' own middleware (the pipeline
        // ends in a catch-all 404, so endpoints left to the end would never run).
        app.UseRouting();
        app.UseMiddleware<DashboardGate>(port, credential);
        app.UseEndpoints(_ => { });
    }
}
