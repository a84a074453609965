namespace Push.LoadTool.Cli;

/// <summary>
/// An option naming one thing (<c>1234</c>) or several (<c>silo=1234,connect=1235</c>), so that one
/// run can measure each process of a split deployment. A single bare value gets <c>defaultName</c>.
/// </summary>
public static class NamedValues
{
    public static IReadOnlyList<(string Name, string Value)> Parse(string? text, string optionName, string defaultName)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new List<(string Name, string Value)>();
        foreach (var part in parts)
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 && parts.Length > 1)
            {
                throw new ArgumentException($"--{optionName}: with several values each needs a name (name=value), not \"{part}\"");
            }

            var (name, value) = equals < 0 ? (defaultName, part) : (part[..equals].Trim(), part[(equals + 1)..].Trim());
            if (name.Length == 0 || value.Length == 0)
            {
                throw new ArgumentException($"--{optionName}: \"{part}\" needs a name and a value (name=value)");
            }

            if (result.Any(r => r.Name == name))
            {
                throw new ArgumentException($"--{optionName}: the name \"{name}\" is given twice");
            }

            result.Add((name, value));
        }

        return result;
    }
}
