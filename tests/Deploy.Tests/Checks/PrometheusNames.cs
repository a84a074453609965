using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Push.ConnectFrontend.Metrics;
using Push.EndpointFrontend.Metrics;
using Push.Grains.Metrics;

namespace Push.Deploy.Tests.Checks;

/// <summary>
/// The series names Prometheus sees for Push's own instruments, taken from the meters themselves:
/// dots become underscores, the unit is spelled out, counters end in <c>_total</c>, histograms
/// come as <c>_bucket</c>, <c>_sum</c> and <c>_count</c>.
/// </summary>
internal static class PrometheusNames
{
    public static IReadOnlySet<string> Push { get; } = Collect();

    private static HashSet<string> Collect()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name is ConnectMetrics.MeterName or EndpointMetrics.MeterName or GrainMetrics.MeterName)
                {
                    names.UnionWith(Series(instrument));
                }
            },
        };
        listener.Start();
        var factory = services.GetRequiredService<IMeterFactory>();
        _ = new ConnectMetrics(factory);
        _ = new EndpointMetrics(factory);
        _ = new GrainMetrics(factory);
        return names;
    }

    private static IEnumerable<string> Series(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        name += instrument.Unit switch
        {
            null or "" or "1" => string.Empty,
            "ms" => "_milliseconds",
            "s" => "_seconds",
            "By" => "_bytes",
            var unit => "_" + unit,
        };
        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>))
        {
            return [name + "_total"];
        }

        if (type == typeof(Histogram<>))
        {
            return [name + "_bucket", name + "_sum", name + "_count"];
        }

        return [name];
    }
}
