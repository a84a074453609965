namespace Push.Shared.Settings;

/// <summary>A setting as its component uses it, for a person to read (<c>check</c>).</summary>
/// <param name="Key">The key, such as <c>crypto_key</c> or <c>fcm.min_ttl</c>.</param>
/// <param name="Value">The value in use, secrets and URL passwords hidden; empty when not set and without default.</param>
/// <param name="Origin">Where it came from (an environment variable, or a key in a file), or null for the default.</param>
public sealed record ResolvedSetting(string Key, string Value, string? Origin);

/// <summary>Finding a setting's origin among the resolved ones.</summary>
public static class ResolvedSettings
{
    /// <summary><c>key (ORIGIN)</c>, as errors name a setting: the variable or file key that set it, or the variable that would.</summary>
    public static string Describe(this IReadOnlyList<ResolvedSetting> settings, string prefix, string key) =>
        $"{key} ({settings.FirstOrDefault(s => s.Key == key)?.Origin ?? SettingsSource.EnvironmentName(prefix, key)})";
}
