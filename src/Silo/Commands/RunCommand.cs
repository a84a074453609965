using Push.Shared.Settings;
using Push.Silo.Hosting;

namespace Push.Silo.Commands;

/// <summary>
/// The roles (<c>all</c>, <c>silo</c>, <c>connect</c>, <c>endpoint</c>): load the settings, start, run
/// until SIGTERM. Bad settings exit with 2 and a start-up failure with 1, each with one line naming
/// the setting.
/// </summary>
public static class RunCommand
{
    /// <summary>The options of the roles, which <c>check</c> and <c>healthcheck</c> take too.</summary>
    public const string Options = """
        Options:
          --config FILE            the settings file of the role (connect, endpoint or silo)
          --connect-config FILE    autoconnect TOML settings (autoconnect.toml)
          --endpoint-config FILE   autoendpoint TOML settings (autoendpoint.toml)
          --silo-config FILE       Push's own host settings (data_dir, cluster ports)
        Environment variables AUTOCONNECT__*, AUTOEND__* (or AUTOENDPOINT__*) and PUSH__* override the files.
        """;

    // Components that failed to start may hang while stopping; the process ends anyway.
    private static readonly TimeSpan FailedStopTimeout = TimeSpan.FromSeconds(10);

    public static PushCommand For(HostRole role, string summary)
    {
        var name = role.ToString().ToLowerInvariant();
        return new PushCommand(name, "[options]", summary, context => RunAsync(HostCommandLine.Parse([name, .. context.Args]), context), Options);
    }

    private static async Task<int> RunAsync(HostCommandLine commandLine, CommandContext context)
    {
        PushConfiguration configuration;
        try
        {
            configuration = PushConfiguration.Load(commandLine, context.Environment);
        }
        catch (SettingsException e)
        {
            context.Error.WriteLine($"push: {e.Message}");
            return 2;
        }

        PushHost host;
        try
        {
            host = await PushHost.CreateAsync(configuration);
        }
        catch (Exception e) when (e is StartupException or SettingsException)
        {
            context.Error.WriteLine($"push: {e.Message}");
            return 1;
        }

        try
        {
            await host.StartAsync();
        }
        catch (StartupException e)
        {
            context.Error.WriteLine($"push: {e.Message}");
            try
            {
                await host.DisposeAsync().AsTask().WaitAsync(FailedStopTimeout);
            }
            catch (TimeoutException)
            {
                // Exit regardless: the message is out.
            }

            return 1;
        }

        await using (host)
        {
            await host.WaitForShutdownAsync();
        }

        return 0;
    }
}
