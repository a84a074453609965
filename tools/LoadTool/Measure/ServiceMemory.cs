using System.Globalization;
using Push.LoadTool.Http;

namespace Push.LoadTool.Measure;

/// <summary>
/// The service's resident memory: VmRSS from <c>/proc/PID/status</c> when the service runs on this
/// machine, else a gauge from its Prometheus <c>/metrics</c> (internal port).
/// </summary>
public sealed class ServiceMemory(int? pid, Uri? metricsUrl, string metricName)
{
    public const string Help = """
          --service-pid PID   read the service's resident memory (VmRSS) from /proc/PID/status
          --metrics-url URL   or read it from this Prometheus page, for a service on another machine
                              (needs a process memory gauge there; Push's /metrics has none yet)
          --rss-metric NAME   the gauge to read there, in bytes [process_resident_memory_bytes]
        """;

    public bool Enabled => pid is not null || metricsUrl is not null;

    public int? Pid => pid;

    public string Source => pid is { } p ? $"/proc/{p}/status VmRSS" : $"{metricsUrl} {metricName}";

    /// <summary>Resident bytes, or null when no source was given.</summary>
    public async Task<long?> ReadAsync(CancellationToken cancel)
    {
        if (pid is { } p)
        {
            foreach (var line in await File.ReadAllLinesAsync($"/proc/{p}/status", cancel))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    // "VmRSS:     123456 kB"
                    var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb * 1024;
                }
            }

            throw new InvalidOperationException($"/proc/{p}/status has no VmRSS line");
        }

        if (metricsUrl is not null)
        {
            using var http = new PushSender(1);
            var text = await http.GetTextAsync(metricsUrl, cancel);
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith(metricName, StringComparison.Ordinal) && line.Length > metricName.Length && line[metricName.Length] is ' ' or '{')
                {
                    // "name{labels} value [timestamp]": the value is the first field after the labels.
                    var rest = line[(line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : metricName.Length)..];
                    var value = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return (long)double.Parse(value, CultureInfo.InvariantCulture);
                }
            }

            throw new InvalidOperationException($"{metricsUrl} has no {metricName} series");
        }

        return null;
    }

    public static string Format(long? bytes) => bytes is { } b ? $"{b / (1024.0 * 1024.0):F1} MiB" : "n/a";
}
