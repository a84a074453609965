using System.Globalization;

namespace Push.Silo.Tests.Hosting;

/// <summary>Reads a silo's figures from its Prometheus <c>/metrics</c>, as an operator's dashboard would.</summary>
internal static class SiloMetrics
{
    /// <summary>
    /// The activations of Push's grains the silo holds now: Orleans' <c>orleans-catalog-activations</c>
    /// gauge, one series per grain type, summed over the client and channel grains.
    /// </summary>
    public static async Task<long> ActivationsAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        return text.Split('\n')
            .Where(l => l.StartsWith("orleans_catalog_activations{", StringComparison.Ordinal)
                && (l.Contains("grain_type=\"client\"", StringComparison.Ordinal) || l.Contains("grain_type=\"channel\"", StringComparison.Ordinal)))
            .Sum(l => (long)double.Parse(l.Split(' ')[^1], CultureInfo.InvariantCulture));
    }
}
