using System.Globalization;

namespace Push.LoadTool.Cli;

/// <summary>
/// The <c>--name value</c> options of one subcommand. Every option read is remembered, so a misspelt
/// option is an error instead of a silently ignored default.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    public bool HelpRequested => _flags.Contains("help") || _flags.Contains("h");

    /// <summary>Options without a value are flags (<c>--help</c>, <c>--allow-remote</c>).</summary>
    public static Arguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                throw new ArgumentException($"unexpected argument \"{arg}\"");
            }

            var name = arg.TrimStart('-');
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                parsed._values[name[..equals]] = name[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                parsed._values[name] = args[++i];
            }
            else
            {
                parsed._flags.Add(name);
            }
        }

        return parsed;
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _flags.Contains(name);
    }

    public string? Text(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string Text(string name, string fallback) => Text(name) ?? fallback;

    public int Number(string name, int fallback, int min = 1, int max = int.MaxValue)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"--{name} must be a whole number from {min} to {max}, not \"{text}\"");
        }

        return value;
    }

    /// <summary>A duration: <c>500ms</c>, <c>20s</c>, <c>2m</c>, or a bare number of seconds.</summary>
    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        var text = Text(name);
        return text is null ? fallback : DurationText.Parse(text, name);
    }

    public IReadOnlyList<int> NumberList(string name, IReadOnlyList<int> fallback)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        var values = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new ArgumentException($"--{name} must be a comma-separated list of whole numbers above 0, not \"{text}\"");
            }

            values.Add(value);
        }

        return values;
    }

    /// <summary>Fails on options the subcommand never asked for (typically typos).</summary>
    public void ThrowIfUnknown()
    {
        var unknown = _values.Keys.Concat(_flags).Where(n => !_read.Contains(n) && n is not ("help" or "h")).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown option{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select(n => "--" + n))}");
        }
    }
}
