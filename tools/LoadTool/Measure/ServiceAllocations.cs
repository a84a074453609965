using System.Globalization;
using Push.LoadTool.Http;

namespace Push.LoadTool.Measure;

/// <summary>
/// Managed bytes the service allocated during a phase, from the runtime's counter on its Prometheus
/// page (Push serves it on the internal port); a server without that page is simply not measured.
/// </summary>
public sealed class ServiceAllocations(Uri? metricsUrl)
{
    public const string Metric = "dotnet_gc_heap_total_allocated_bytes_total";

    private long? _start;

    public async Task StartAsync(CancellationToken cancel) => _start = await ReadAsync(cancel);

    /// <summary>Bytes allocated since <see cref="StartAsync"/>, or null when it cannot be read.</summary>
    public async Task<long?> StopAsync(CancellationToken cancel) =>
        _start is { } start && await ReadAsync(cancel) is { } end ? end - start : null;

    private async Task<long?> ReadAsync(CancellationToken cancel)
    {
        if (metricsUrl is null)
        {
            return null;
        }

        try
        {
            using var http = new PushSender(1);
            var text = await http.GetTextAsync(metricsUrl, cancel);
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith(Metric, StringComparison.Ordinal) && line.Length > Metric.Length && line[Metric.Length] is ' ' or '{')
                {
                    var rest = line[(line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : Metric.Length)..];
                    return (long)double.Parse(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (HttpRequestException)
        {
        }

        return null;
    }
}
