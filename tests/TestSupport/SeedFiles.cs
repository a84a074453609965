namespace Push.Testing;

/// <summary>
/// The files of the user's autopush deployment notes (autoconnect.toml, autoendpoint.toml, .env),
/// copied byte for byte, and a reader for the .env file as Docker Compose reads it.
/// </summary>
public static class SeedFiles
{
    public static string AutoconnectToml => Path.Combine(AppContext.BaseDirectory, "Seed", "autoconnect.toml");

    public static string AutoendpointToml => Path.Combine(AppContext.BaseDirectory, "Seed", "autoendpoint.toml");

    public static string DotEnv => Path.Combine(AppContext.BaseDirectory, "Seed", "seed.env");

    /// <summary>
    /// Reads a .env file like Compose's <c>env_file</c>: <c>KEY=VALUE</c> lines, <c>#</c> comments,
    /// surrounding quotes removed.
    /// </summary>
    public static Dictionary<string, string?> ReadDotEnv(string path)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            result[key] = value;
        }

        return result;
    }
}
