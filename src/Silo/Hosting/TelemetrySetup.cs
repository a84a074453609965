using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Push.ConnectFrontend.Metrics;
using Push.EndpointFrontend.Metrics;
using Push.Grains.Metrics;
using Push.Shared;
using Push.Silo.Metrics;

namespace Push.Silo.Hosting;

/// <summary>
/// Metrics through OpenTelemetry: Push's own meters, Orleans', the runtime's and ASP.NET Core's, scraped by Prometheus at
/// <c>/metrics</c> on the internal port only, and pushed over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class TelemetrySetup
{
    /// <summary>
    /// Every meter exported: Push's own, Orleans', the runtime's ("System.Runtime": process memory,
    /// GC, thread pool) and ASP.NET Core's (HTTP requests by status and scheme; Kestrel's
    /// connections, WebSocket upgrades among them, and TLS handshakes).
    /// </summary>
    public static readonly string[] Meters =
    [
        ConnectMetrics.MeterName, EndpointMetrics.MeterName, GrainMetrics.MeterName, BuildInfoMetrics.MeterName,
        "Microsoft.Orleans", "System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
    ];

    public static void AddPushTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<BuildInfoMetrics>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("push", serviceVersion: ServiceVersion.Current))
            .WithMetrics(m =>
            {
                m.AddMeter(Meters);
                m.AddPrometheusExporter();
                if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(KnownEnvironment.OtlpEndpoint)))
                {
                    m.AddOtlpExporter();
                }
            });
    }

    /// <summary>Serves <c>/metrics</c> on <paramref name="internalPort"/> and nowhere else.</summary>
    public static void UsePushMetrics(this IApplicationBuilder app, int internalPort)
    {
        // Created with the app, so that the build's series is there from the first scrape.
        _ = app.ApplicationServices.GetRequiredService<BuildInfoMetrics>();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Connection.LocalPort == internalPort && context.Request.Path == HealthPaths.Metrics);
    }

    /// <summary>The port that is never public: the connect frontend's <c>router_port</c>, else <c>health_port</c>.</summary>
    public static int InternalPort(PushConfiguration configuration) =>
        HostPorts.Internal(configuration).Number;
}
