using System.Globalization;
using Push.Shared.Crypto;

namespace Push.Shared.Settings;

/// <summary>
/// Reads typed values out of a <see cref="SettingsSource"/>, collecting every problem so that
/// start-up can stop with one line naming each bad setting.
/// </summary>
public sealed class SettingsReader(SettingsSource source)
{
    private readonly List<string> _errors = [];
    private readonly List<string> _ignored = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string> _knownSections = new(StringComparer.Ordinal);
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, ResolvedSetting> _resolved = new(StringComparer.Ordinal);

    public SettingsSource Source => source;

    /// <summary>Settings that were given but have no meaning in Push (statsd, sentry, bridges...).</summary>
    public IReadOnlyList<string> Ignored => _ignored;

    /// <summary>Every key this reader was asked for, used or ignored: what the component understands.</summary>
    public SettingsCatalog Catalog => new(source.Prefix, _known.ToHashSet(StringComparer.Ordinal), _knownSections.ToHashSet(StringComparer.Ordinal));

    /// <summary>Every setting read, with the value in use and its origin, secrets hidden.</summary>
    public IReadOnlyList<ResolvedSetting> Resolved => [.. _resolved.Values];

    public bool IsSet(string key) => source.Contains(key);

    public void Fail(string key, string problem) => _errors.Add($"{Describe(key)}: {problem}");

    public string? GetString(string key)
    {
        _known.Add(key);
        if (!source.TryGet(key, out var value))
        {
            return Record<string?>(key, null);
        }

        return Record(key, value.Raw switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Invalid<string?>(key, value, "a string"),
        });
    }

    public string GetString(string key, string defaultValue) => GetString(key) ?? Record(key, defaultValue);

    /// <summary>A key, a password: read as a string, never shown (<see cref="Resolved"/> hides it).</summary>
    public string? GetSecret(string key)
    {
        _secrets.Add(key);
        return GetString(key);
    }

    public long? GetInteger(string key, long min, long max)
    {
        _known.Add(key);
        if (!source.TryGet(key, out var value))
        {
            return Record<long?>(key, null);
        }

        long? parsed = value.Raw switch
        {
            long l => l,
            int i => i,
            double d when d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
            string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            _ => null,
        };
        if (parsed is not { } result || result < min || result > max)
        {
            return Invalid<long?>(key, value, $"a whole number from {min} to {max}");
        }

        return Record(key, result);
    }

    public long GetInteger(string key, long defaultValue, long min, long max) => GetInteger(key, min, max) ?? Record(key, defaultValue);

    public int GetPort(string key, int defaultValue) => (int)GetInteger(key, defaultValue, 0, 65535);

    /// <summary>A duration in seconds (fractions allowed), strictly positive.</summary>
    public double GetSeconds(string key, double defaultValue)
    {
        _known.Add(key);
        if (!source.TryGet(key, out var value))
        {
            return Record(key, defaultValue);
        }

        double? parsed = value.Raw switch
        {
            double d => d,
            long l => l,
            string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
        if (parsed is not { } result || !double.IsFinite(result) || result <= 0 || result > 365 * 86400)
        {
            return Invalid<double?>(key, value, "a number of seconds greater than 0") ?? defaultValue;
        }

        return Record(key, result);
    }

    /// <summary>
    /// A list, or null when the setting is not given: a TOML array of strings, or one string of
    /// comma-separated items (<c>a,b</c>, <c>[a,b]</c> or <c>["a","b"]</c>, as key lists are written).
    /// </summary>
    public IReadOnlyList<string>? GetList(string key)
    {
        _known.Add(key);
        if (!source.TryGet(key, out var value))
        {
            return null;
        }

        return value.Raw switch
        {
            string s => KeyList.ParseItems(s),
            System.Collections.IEnumerable items when items.Cast<object?>().All(i => i is string) =>
                [.. items.Cast<string>().Select(i => i.Trim()).Where(i => i.Length > 0)],
            _ => Invalid<IReadOnlyList<string>?>(key, value, "a list of strings"),
        };
    }

    /// <summary>A boolean, or null when the setting is not given at all.</summary>
    public bool? GetBool(string key)
    {
        var value = GetBool(key, false);
        return source.Contains(key) ? value : Record<bool?>(key, null);
    }

    public bool GetBool(string key, bool defaultValue)
    {
        _known.Add(key);
        if (!source.TryGet(key, out var value))
        {
            return Record(key, defaultValue);
        }

        bool? parsed = value.Raw switch
        {
            bool b => b,
            string s => s.Trim().ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" or "" => false,
                _ => null,
            },
            _ => null,
        };
        return parsed is { } result ? Record(key, result) : Invalid<bool?>(key, value, "true or false") ?? defaultValue;
    }

    /// <summary>Marks settings that Push accepts for compatibility but does not use.</summary>
    public void Ignore(params string[] keys)
    {
        foreach (var key in keys)
        {
            _known.Add(key);
            _resolved.Remove(key);
            if (source.Contains(key))
            {
                _ignored.Add(key);
            }
        }
    }

    /// <summary>Marks every key under a prefix (e.g. <c>fcm.</c>) as accepted but unused.</summary>
    public void IgnoreSection(string section)
    {
        _knownSections.Add(section);
        foreach (var key in source.Keys.Where(k => k == section || k.StartsWith(section + ".", StringComparison.Ordinal)))
        {
            _known.Add(key);
            _ignored.Add(key);
        }
    }

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
        {
            throw new SettingsException("Invalid setting " + string.Join("; ", _errors), [.. _errors.Select(e => "Invalid setting " + e)]);
        }
    }

    private T Record<T>(string key, T value)
    {
        var text = value switch
        {
            null => string.Empty,
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        if (_secrets.Contains(key) && text.Length > 0)
        {
            text = Redaction.Hidden;
        }

        _resolved[key] = new ResolvedSetting(key, Redaction.UrlCredentials(text), source.TryGet(key, out var given) ? given.Origin : null);
        return value;
    }

    private T? Invalid<T>(string key, SettingValue value, string expected)
    {
        _errors.Add($"{Describe(key)}: \"{value.Raw}\" is not {expected}");
        return default;
    }

    private string Describe(string key) =>
        source.TryGet(key, out var value) ? $"{key} ({value.Origin})" : $"{key} ({source.EnvironmentName(key)})";
}
