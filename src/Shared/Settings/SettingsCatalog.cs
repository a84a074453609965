namespace Push.Shared.Settings;

/// <summary>
/// The settings one component understands (read or accepted and ignored), so that deployment files
/// can be checked for names Push would silently pass over, such as a misspelled variable.
/// </summary>
/// <param name="Prefix">The environment prefix, e.g. <c>AUTOCONNECT</c>.</param>
/// <param name="Keys">Keys such as <c>crypto_key</c>.</param>
/// <param name="Sections">Whole sections accepted with any key in them, such as <c>fcm</c>.</param>
public sealed record SettingsCatalog(string Prefix, IReadOnlySet<string> Keys, IReadOnlySet<string> Sections)
{
    /// <summary>Reads defaults only, to learn which keys a component's loader asks for.</summary>
    public static SettingsCatalog Of(string prefix, Func<SettingsReader, object> load)
    {
        var reader = new SettingsReader(SettingsSource.Empty(prefix));
        _ = load(reader);
        return reader.Catalog;
    }

    public bool Contains(string key) =>
        Keys.Contains(key) || Sections.Any(s => key == s || key.StartsWith(s + ".", StringComparison.Ordinal));

    /// <summary>The keys of <paramref name="source"/> this component neither reads nor accepts: misspelled, or meant for another component.</summary>
    public IEnumerable<string> UnknownKeys(SettingsSource source) => source.Keys.Where(k => !Contains(k));

    /// <summary>The known key nearest to <paramref name="key"/>, and how many edits away it is.</summary>
    public (string Key, int Distance) Nearest(string key) =>
        Keys.Select(k => (Key: k, Distance: EditDistance.Between(key, k))).OrderBy(c => c.Distance).ThenBy(c => c.Key, StringComparer.Ordinal).First();
}
