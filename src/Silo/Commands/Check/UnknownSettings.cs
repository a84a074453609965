using Push.Shared.Settings;
using Push.Silo.Hosting;

namespace Push.Silo.Commands.Check;

/// <summary>
/// Keys of the settings files and variables of the <c>AUTOCONNECT</c>, <c>AUTOEND</c> and <c>PUSH</c>
/// prefixes that nothing reads (Push passes over them, as autopush does): a misspelling, or a setting
/// given to the wrong component. Each comes with the setting it most likely meant.
/// </summary>
internal static class UnknownSettings
{
    public static IEnumerable<string> Warnings(PushSources sources)
    {
        Component[] components =
        [
            new("the connect frontend", sources.Connect, ConnectSettings.Catalog),
            new("the endpoint frontend", sources.Endpoint, EndpointSettings.Catalog),
            new("Push's own settings", sources.Silo, SiloSettings.Catalog),
        ];
        foreach (var component in components)
        {
            foreach (var key in component.Catalog.UnknownKeys(component.Source).Order(StringComparer.Ordinal))
            {
                var origin = component.Source.TryGet(key, out var value) ? value.Origin : key;
                yield return $"{origin} is not a setting Push reads{Suggestion(key, origin, component, components)}";
            }
        }
    }

    private static string Suggestion(string key, string origin, Component component, Component[] components)
    {
        // The right name given to the wrong component (AUTOEND__ENDPOINT_HOSTNAME).
        if (components.FirstOrDefault(c => c != component && c.Catalog.Keys.Contains(key)) is { } owner)
        {
            return $": {key} is a setting of {owner.Name} ({SettingsSource.EnvironmentName(owner.Source.Prefix, key)})";
        }

        var (nearest, distance) = component.Catalog.Nearest(key);
        if (EditDistance.IsLikelyTypo(key, distance))
        {
            return $" (did you mean {AsWritten(origin, nearest)}?)";
        }

        var other = components.Where(c => c != component)
            .Select(c => (Component: c, Nearest: c.Catalog.Nearest(key)))
            .MinBy(c => c.Nearest.Distance);
        return EditDistance.IsLikelyTypo(key, other.Nearest.Distance)
            ? $" (did you mean {SettingsSource.EnvironmentName(other.Component.Source.Prefix, other.Nearest.Key)}, a setting of {other.Component.Name}?)"
            : string.Empty;
    }

    // The suggestion written as the mistake was: a key of the same file, or a variable of the same prefix.
    private static string AsWritten(string origin, string key) =>
        origin.Contains(' ', StringComparison.Ordinal) ? key : SettingsSource.EnvironmentName(origin[..origin.IndexOf("__", StringComparison.Ordinal)], key);

    private sealed record Component(string Name, SettingsSource Source, SettingsCatalog Catalog);
}
