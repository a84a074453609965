using System.Globalization;
using Push.LoadTool.Http;

namespace Push.LoadTool.Measure;

/// <summary>
/// Managed bytes each service process allocated during a phase, from the runtime's counter on its
/// Prometheus page (Push serves it on the internal port); a server without that page is simply not
/// measured.
/// </summary>
public sealed class ServiceAllocations(IReadOnlyList<(string Name, Uri Url)> pages)
{
    public const string Metric = "dotnet_gc_heap_total_allocated_bytes_total";

    private long?[] _start = [];

    /// <summary>From <c>--alloc-url</c>: <c>URL</c> or <c>name=URL,name=URL</c>.</summary>
    public static ServiceAllocations From(string? text) =>
        new(Cli.NamedValues.Parse(text, "alloc-url", "service").Select(p => (p.Name, new Uri(p.Value))).ToList());

    public async Task StartAsync(CancellationToken cancel) => _start = await ReadAllAsync(cancel);

    /// <summary>Bytes each page's process allocated since <see cref="StartAsync"/> (null where unreadable).</summary>
    public async Task<IReadOnlyList<(string Name, long? Bytes)>> StopAsync(CancellationToken cancel)
    {
        var end = await ReadAllAsync(cancel);
        return pages.Select((p, i) => (p.Name, end[i] - _start[i])).ToList();
    }

    /// <summary>The counter's value in a Prometheus text page, or null when the page has none.</summary>
    public static long? Parse(string page)
    {
        foreach (var line in page.Split('\n'))
        {
            if (line.StartsWith(Metric, StringComparison.Ordinal) && line.Length > Metric.Length && line[Metric.Length] is ' ' or '{')
            {
                var rest = line[(line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : Metric.Length)..];
                return (long)double.Parse(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private async Task<long?[]> ReadAllAsync(CancellationToken cancel)
    {
        var values = new long?[pages.Count];
        using var http = new PushSender(1);
        for (var i = 0; i < pages.Count; i++)
        {
            try
            {
                values[i] = Parse(await http.GetTextAsync(pages[i].Url, cancel));
            }
            catch (HttpRequestException)
            {
                values[i] = null;
            }
        }

        return values;
    }
}
