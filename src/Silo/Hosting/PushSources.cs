using Push.Shared.Settings;

namespace Push.Silo.Hosting;

/// <summary>
/// The raw settings of each component as a process reads them: its TOML file (if any) overlaid by
/// the environment variables of its prefix.
/// </summary>
public sealed record PushSources(SettingsSource Connect, SettingsSource Endpoint, SettingsSource Silo)
{
    public static PushSources Load(HostCommandLine commandLine, IReadOnlyDictionary<string, string?> environment) => new(
        SettingsSource.Load(commandLine.ConnectConfig, environment, ConnectSettings.EnvironmentPrefix),
        SettingsSource.Load(commandLine.EndpointConfig, environment, EndpointSettings.EnvironmentPrefix, EndpointSettings.LegacyEnvironmentPrefix),
        SettingsSource.Load(commandLine.SiloConfig, environment, SiloSettings.EnvironmentPrefix));
}
