using Tomlyn;
using Tomlyn.Model;

namespace Push.Shared.Settings;

/// <summary>
/// The raw settings of one component: the keys of a TOML file overlaid by environment variables
/// (<c>PREFIX__KEY</c>; the environment wins). Keys are lower-case; nested keys use '.'
/// (<c>[fcm] min_ttl</c> and <c>AUTOEND__FCM__MIN_TTL</c> are both <c>fcm.min_ttl</c>).
/// </summary>
public sealed class SettingsSource
{
    private readonly Dictionary<string, SettingValue> _values = new(StringComparer.Ordinal);

    private SettingsSource(string prefix) => Prefix = prefix;

    /// <summary>The environment prefix of this component, e.g. <c>AUTOCONNECT</c>.</summary>
    public string Prefix { get; }

    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>An empty source: every setting at its default.</summary>
    public static SettingsSource Empty(string prefix) => new(prefix);

    /// <param name="configFile">A TOML file, or null.</param>
    /// <param name="environment">The process environment (or a test's copy of one).</param>
    /// <param name="prefix">The main prefix, e.g. <c>AUTOEND</c>.</param>
    /// <param name="aliasPrefixes">Older prefixes read too (e.g. <c>AUTOENDPOINT</c>); the main prefix wins.</param>
    public static SettingsSource Load(string? configFile, IReadOnlyDictionary<string, string?> environment, string prefix, params string[] aliasPrefixes)
    {
        var source = new SettingsSource(prefix);
        if (configFile is not null)
        {
            source.AddToml(configFile);
        }

        foreach (var alias in aliasPrefixes)
        {
            source.AddEnvironment(environment, alias);
        }

        source.AddEnvironment(environment, prefix);
        return source;
    }

    public bool TryGet(string key, out SettingValue value) => _values.TryGetValue(key, out value);

    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>The environment variable that sets <paramref name="key"/>.</summary>
    public string EnvironmentName(string key) => EnvironmentName(Prefix, key);

    /// <summary>The environment variable that sets <paramref name="key"/> under <paramref name="prefix"/>.</summary>
    public static string EnvironmentName(string prefix, string key) => $"{prefix}__{key.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant()}";

    private void AddToml(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"Cannot read the settings file {path}: {e.Message}");
        }

        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize<TomlTable>(text) ?? [];
        }
        catch (Exception e)
        {
            throw new SettingsException($"The settings file {path} is not valid TOML: {FirstLine(e.Message)}");
        }

        var fileName = Path.GetFileName(path);
        AddTable(table, string.Empty, fileName);
    }

    private void AddTable(TomlTable table, string parent, string fileName)
    {
        foreach (var (key, value) in table)
        {
            var name = parent.Length == 0 ? key.ToLowerInvariant() : $"{parent}.{key.ToLowerInvariant()}";
            if (value is TomlTable nested)
            {
                AddTable(nested, name, fileName);
            }
            else
            {
                _values[name] = new SettingValue(value, $"{name} in {fileName}");
            }
        }
    }

    private void AddEnvironment(IReadOnlyDictionary<string, string?> environment, string prefix)
    {
        foreach (var (name, value) in environment)
        {
            if (value is not null && TryKey(name, prefix, out var key))
            {
                _values[key] = new SettingValue(Unquote(value), name);
            }
        }
    }

    /// <summary>The setting key an environment variable sets under <paramref name="prefix"/> (<c>AUTOEND__FCM__MIN_TTL</c> → <c>fcm.min_ttl</c>).</summary>
    public static bool TryKey(string environmentName, string prefix, out string key)
    {
        var start = prefix + "__";
        if (!environmentName.StartsWith(start, StringComparison.OrdinalIgnoreCase) || environmentName.Length == start.Length)
        {
            key = string.Empty;
            return false;
        }

        key = environmentName[start.Length..].ToLowerInvariant().Replace("__", ".", StringComparison.Ordinal);
        return true;
    }

    // `docker run --env-file` and some shells keep the quotes of a .env line; strip one matching pair.
    private static string Unquote(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length >= 2 && (trimmed[0] == '"' || trimmed[0] == '\'') && trimmed[^1] == trimmed[0]
            ? trimmed[1..^1]
            : trimmed;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
