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

if (args is [ImportAutopushCommand.Name, ..])
{
    var variables = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
    return await ImportAutopushCommand.RunAsync(args[1..], variables, Console.Out, Console.Error, TimeProvider.System);
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

PushHost host;
try
{
    host = await PushHost.CreateAsync(configuration);
}
catch (SettingsException e)
{
    Console.Error.WriteLine($"push: {e.Message}");
    return 2;
}

await using var disposeHost = host;
await host.StartAsync();
await host.WaitForShutdownAsync();
return 0;
