using System.Globalization;

namespace Push.LoadTool.Cli;

/// <summary>Durations as people type them on a command line.</summary>
public static class DurationText
{
    public static TimeSpan Parse(string text, string optionName)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || double.IsInfinity(value))
        {
            throw new ArgumentException($"--{optionName} must be a duration such as 500ms, 20s or 2m, not \"{text}\"");
        }

        return TimeSpan.FromSeconds(value * unit);
    }
}
