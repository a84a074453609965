using System.Runtime.InteropServices;
using Push.LoadTool.Cli;
using Push.LoadTool.Commands;

ILoadCommand[] commands = [new ConnectCommand(), new ThroughputCommand(), new LatencyCommand(), new DrainCommand(), new QueueCommand(), new OutageCommand(), new FillCommand()];

if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    Console.WriteLine("usage: Push.LoadTool <command> [options]    (<command> --help for its options)");
    Console.WriteLine();
    foreach (var c in commands)
    {
        Console.WriteLine($"  {c.Name,-12}{c.Summary}");
    }

    Console.WriteLine();
    Console.WriteLine("Every command targets 127.0.0.1 unless told otherwise and ends with one JSON summary line.");
    return args.Length == 0 ? 2 : 0;
}

var command = commands.FirstOrDefault(c => c.Name == args[0]);
if (command is null)
{
    Console.Error.WriteLine($"load: unknown command \"{args[0]}\" (try --help)");
    return 2;
}

Arguments arguments;
try
{
    arguments = Arguments.Parse(args[1..]);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"load: {e.Message}");
    return 2;
}

if (arguments.HelpRequested)
{
    Console.WriteLine(command.Usage);
    return 0;
}

// Ctrl+C and SIGTERM end a run early but cleanly: clients are closed and the summary still printed.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
try
{
    return await command.RunAsync(arguments, stop.Token);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"load: {e.Message}");
    return 2;
}
catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or HttpRequestException or Push.LoadTool.Protocol.ProtocolException)
{
    // The service is not there or broke the protocol: one line, no stack trace.
    Console.Error.WriteLine($"load: {e.Message}");
    return 1;
}
