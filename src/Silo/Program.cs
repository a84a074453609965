using System.Collections;
using Push.Shared.Settings;
using Push.Silo.Commands;
using Push.Silo.Hosting;

if (args is [TryCommand.Name, ..])
{
    try
    {
        return await TryCommand.RunAsync(args[1..], Console.Out, TimeProvider.System);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"push: {e.Message}");
        return 2;
    }
}

HostCommandLine commandLine;
try
{
    commandLine = HostCommandLine.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"push: {e.Message}");
    Console.Error.WriteLine(HostCommandLine.Usage);
    return 2;
}

if (commandLine.Command == "keys")
{
    Console.Write(KeysCommand.Generate());
    return 0;
}

PushConfiguration configuration;
try
{
    var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
    configuration = PushConfiguration.Load(commandLine, environment);
}
catch (SettingsException e)
{
    // One clear line naming the setting, and no stack trace.
    Console.Error.WriteLine($"push: {e.Message}");
    return 2;
}

await using var host = await PushHost.CreateAsync(configuration);
await host.StartAsync();
await host.WaitForShutdownAsync();
return 0;
