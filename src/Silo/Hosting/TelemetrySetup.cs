using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using Push.ConnectFrontend.Metrics;
using Push.EndpointFrontend.Metrics;
using Push.Grains.Metrics;
using Push.Shared;

namespace Push.Silo.Hosting;

/// <summary>
/// Metrics through OpenTelemetry: Push's own meters and Orleans', scraped by Prometheus at
/// <c>/metrics</c> on the internal port only, and pushed over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class TelemetrySetup
{
    public static void AddPushTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(m =>
        {
            // "System.Runtime": the runtime's own meter (process memory, GC heap, thread pool), so that
            // memory per connection can be watched from the dashboard.
            m.AddMeter(ConnectMetrics.MeterName, EndpointMetrics.MeterName, GrainMetrics.MeterName, "Microsoft.Orleans", "System.Runtime");
            m.AddPrometheusExporter();
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(KnownEnvironment.OtlpEndpoint)))
            {
                m.AddOtlpExporter();
            }
        });
    }

    /// <summary>Serves <c>/metrics</c> on <paramref name="internalPort"/> and nowhere else.</summary>
    public static void UsePushMetrics(this IApplicationBuilder app, int internalPort) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Connection.LocalPort == internalPort && context.Request.Path == HealthPaths.Metrics);

    /// <summary>The port that is never public: the connect frontend's <c>router_port</c>, else <c>health_port</c>.</summary>
    public static int InternalPort(PushConfiguration configuration) =>
        HostPorts.Internal(configuration).Number;
}
