using System.Text;
using Push.Shared;
using Push.Silo.Commands.Check;
using Push.Silo.Hosting;

namespace Push.Silo.Commands;

/// <summary>
/// The program's commands and how a command line reaches one: <c>--help</c> and <c>--version</c> on
/// the program and on every command, the default role when no command is named.
/// </summary>
public static class CommandTable
{
    public const string Program = "Push.Silo";

    /// <summary>Every command, the default (<c>all</c>) first. A new command is one more line here.</summary>
    public static IReadOnlyList<PushCommand> Commands { get; } =
    [
        RunCommand.For(HostRole.All, "the silo, the connect frontend and the endpoint frontend in one process (the default)"),
        RunCommand.For(HostRole.Silo, "only the silo (grains and storage); needs db_dsn"),
        RunCommand.For(HostRole.Connect, "only the WebSocket frontend (like autoconnect); needs db_dsn and crypto_key"),
        RunCommand.For(HostRole.Endpoint, "only the WebPush API (like autoendpoint); needs db_dsn and crypto_keys"),
        KeysCommand.Command,
        TryCommand.Command,
        CheckCommand.Command,
        HealthcheckCommand.Command,
        ImportAutopushCommand.Command,
    ];

    /// <summary>What <c>--version</c> prints.</summary>
    public static string Version => $"push {ServiceVersion.Current}";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?> environment)
    {
        var named = args.Count > 0 ? Commands.FirstOrDefault(c => c.Name == args[0]) : null;
        if (named is null && args.Count > 0 && !args[0].StartsWith('-'))
        {
            error.WriteLine($"push: unknown command \"{args[0]}\"");
            error.Write(Usage());
            return 2;
        }

        // Options alone run the default role, as a bare `Push.Silo --connect-config FILE` always has.
        var command = named ?? Commands[0];
        var rest = named is null ? args : args.Skip(1).ToList();
        if (rest.Contains("--version"))
        {
            output.WriteLine(Version);
            return 0;
        }

        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            output.Write(named is null ? Usage() : Help(command));
            return 0;
        }

        try
        {
            return await command.RunAsync(new CommandContext(rest, output, error, environment));
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"push: {e.Message}");
            error.WriteLine($"See `{Program} {command.Name} --help`.");
            return 2;
        }
    }

    /// <summary>The program's usage: every command with its summary.</summary>
    public static string Usage()
    {
        var text = new StringBuilder($"Usage: {Program} [COMMAND] [options]\n\nCommands:\n");
        foreach (var command in Commands)
        {
            var call = $"{command.Name} {command.Arguments}".Trim();
            // A long call line takes its own line, the summary under it.
            text.Append(call.Length <= 34 ? $"  {call,-34} {command.Summary}\n" : $"  {call}\n  {string.Empty,-34} {command.Summary}\n");
        }

        text.Append($"\nWithout a command: {Commands[0].Name}. `{Program} COMMAND --help` tells more; --version prints the version.\n\n");
        text.Append(RunCommand.Options).Append('\n');
        return text.ToString();
    }

    /// <summary>One command's help: its usage line, what it does, its options.</summary>
    public static string Help(PushCommand command)
    {
        var text = new StringBuilder($"Usage: {Program} {command.Name} {command.Arguments}".TrimEnd()).Append("\n\n");
        text.Append(char.ToUpperInvariant(command.Summary[0])).Append(command.Summary[1..]).Append(".\n");
        if (command.Details.Length > 0)
        {
            text.Append('\n').Append(command.Details).Append('\n');
        }

        return text.ToString();
    }
}
