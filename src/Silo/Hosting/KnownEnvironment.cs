using Push.Shared.Settings;

namespace Push.Silo.Hosting;

/// <summary>
/// Every environment variable a Push process reads. Push passes over names it does not know (as
/// autopush does), so deployment files are checked against this to catch a misspelled setting.
/// </summary>
public static class KnownEnvironment
{
    /// <summary>The pod's address (Kubernetes downward API), advertised by a silo unless <c>PUSH__ADVERTISED_IP</c> is set.</summary>
    public const string PodIp = "POD_IP";

    /// <summary>Where to push metrics over OTLP; unset, only the Prometheus route serves them.</summary>
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The time zone of the readable (<c>human_logs</c>) log lines, read by the .NET runtime.</summary>
    public const string TimeZone = "TZ";

    /// <summary>Log levels per category (<c>Logging__LogLevel__Default=Debug</c>), read by the host's configuration.</summary>
    public const string LoggingPrefix = "Logging__";

    private static readonly (string Prefix, Func<SettingsCatalog> Catalog)[] Settings =
    [
        (ConnectSettings.EnvironmentPrefix, () => ConnectSettings.Catalog),
        (EndpointSettings.EnvironmentPrefix, () => EndpointSettings.Catalog),
        (EndpointSettings.LegacyEnvironmentPrefix, () => EndpointSettings.Catalog),
        (SiloSettings.EnvironmentPrefix, () => SiloSettings.Catalog),
    ];

    /// <summary>True when a Push process reads <paramref name="name"/>.</summary>
    public static bool IsKnown(string name)
    {
        if (name is PodIp or OtlpEndpoint or TimeZone || name.StartsWith(LoggingPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var (prefix, catalog) in Settings)
        {
            if (SettingsSource.TryKey(name, prefix, out var key))
            {
                return catalog().Contains(key);
            }
        }

        return false;
    }
}
