using System.Text;
using Push.Shared;
using Push.Shared.Settings;
using Push.Silo.Hosting;

namespace Push.Silo.Commands.Check;

/// <summary>The text <c>check</c> prints: each component's settings, what they lead to, then warnings and errors.</summary>
internal sealed class CheckReport(HostRole role)
{
    private const int Column = 30;
    private readonly StringBuilder _text = new();

    /// <param name="components">Each component's settings.</param>
    /// <param name="resolved">The whole configuration, when it loads.</param>
    public string Write(IReadOnlyList<ComponentSettings> components, PushConfiguration? resolved, IReadOnlyList<string> warnings, IReadOnlyList<string> errors)
    {
        var name = role.ToString().ToLowerInvariant();
        Line($"push {ServiceVersion.Current}: the settings of the {name} role, as it reads them (secrets hidden)");
        foreach (var component in components)
        {
            Settings(component);
        }

        if (resolved is not null)
        {
            Outcome(resolved);
        }

        Line();
        foreach (var warning in warnings)
        {
            Line($"warning: {warning}");
        }

        foreach (var error in errors)
        {
            Line($"error: {error}");
        }

        Line(errors.Count == 0 && warnings.Count == 0 ? "No problems found."
            : $"{Count(warnings.Count, "warning")}, {Count(errors.Count, "error")}{(errors.Count > 0 ? $": the {name} role would not start" : string.Empty)}.");
        return _text.ToString();
    }

    private void Settings(ComponentSettings component)
    {
        Line();
        Line($"{component.Title} ({(component.File is null ? string.Empty : $"{Path.GetFileName(component.File)}, ")}{component.Prefix}__*)");
        if (component.Settings is null)
        {
            Line("  (not shown: see the errors below)");
            return;
        }

        foreach (var setting in component.Settings.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var value = setting.Value.Length == 0 ? "(not set)" : setting.Value;
            Line($"  {setting.Key.PadRight(Column - 2)}{value.PadRight(Column)}  {setting.Origin ?? "default"}");
        }
    }

    private void Outcome(PushConfiguration configuration)
    {
        Line();
        Line("What they lead to");
        Row("listens on", string.Join(", ", HostPorts.Of(configuration).Select(Describe)));
        if (role is HostRole.All or HostRole.Connect)
        {
            Row("phones connect to", StartupSummary.WebSocketUrl(configuration));
        }

        if (role is HostRole.All or HostRole.Connect || configuration.Connect.EndpointUrlConfigured)
        {
            Row("clients are handed", $"{EndpointUrls.Base(configuration)}/wpush/...");
        }

        if (role is HostRole.All or HostRole.Endpoint)
        {
            Row("VAPID audiences accepted", string.Join(", ", EndpointUrls.Audiences(configuration)));
        }

        Row("store", configuration.StoreAddress is { } address
            ? $"Redis at {address}, {configuration.DbDsnSetting}"
            : $"the embedded store in {Path.GetFullPath(configuration.Silo.DataDir)}");
        Row("crypto keys", Keys(configuration));
    }

    private static string Keys(PushConfiguration configuration)
    {
        var text = $"connect encrypts with {configuration.Connect.CryptoKeys.Fingerprints[0]}; endpoint decrypts {string.Join(", ", configuration.Endpoint.CryptoKeys.Fingerprints)} (fingerprints)";
        if (configuration.UsesStoredCryptoKey)
        {
            text = File.Exists(configuration.KeyFile)
                ? $"made by Push and kept in {configuration.KeyFile}; {text}"
                : $"none given: the first start makes one and keeps it in {configuration.KeyFile}";
        }

        return text;
    }

    private static string Describe(HostPort port) =>
        $"{port.Number} {port.Name}{(port.IsPublic ? " (public)" : string.Empty)} on " +
        port.Scope switch
        {
            ListenScope.EveryInterface => "every interface",
            ListenScope.Localhost => "loopback",
            _ => port.Address!.ToString(),
        };

    private static string Count(int count, string what) => count == 1 ? $"1 {what}" : $"{count} {what}s";

    private void Row(string name, string value) => Line($"  {name.PadRight(Column - 2)}{value}");

    private void Line(string text = "") => _text.Append(text).Append('\n');
}

/// <summary>One component's settings as <c>check</c> shows them.</summary>
/// <param name="Title">What the component is.</param>
/// <param name="File">Its TOML file, if one was given.</param>
/// <param name="Prefix">Its environment prefix.</param>
/// <param name="Settings">Its settings, or null when they have errors.</param>
internal sealed record ComponentSettings(string Title, string? File, string Prefix, IReadOnlyList<ResolvedSetting>? Settings);
