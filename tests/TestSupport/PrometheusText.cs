using System.Globalization;
using System.Text.RegularExpressions;

namespace Push.Testing;

/// <summary>Reads Prometheus' text exposition (what <c>/metrics</c> answers) into samples.</summary>
public static partial class PrometheusText
{
    /// <summary>One line of the exposition: a series name, its labels and its value.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static IReadOnlyList<Sample> Parse(string exposition)
    {
        var samples = new List<Sample>();
        foreach (var line in exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"Not a Prometheus sample: {line}");
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => Regex.Unescape(m.Groups["value"].Value), StringComparer.Ordinal);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var text => double.Parse(text, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }

        return samples;
    }

    /// <summary>The value of the first series <paramref name="name"/> whose labels include all of <paramref name="labels"/> (<c>name="value"</c>), or null.</summary>
    public static double? Value(string exposition, string name, params string[] labels) =>
        Parse(exposition)
            .Where(s => s.Name == name && labels.All(l => s.Labels.Any(p => $"{p.Key}=\"{p.Value}\"" == l)))
            .Select(s => (double?)s.Value)
            .FirstOrDefault();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
