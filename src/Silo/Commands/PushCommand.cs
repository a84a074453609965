namespace Push.Silo.Commands;

/// <summary>What a command is given: its arguments (after its name), where to write, the process environment.</summary>
public sealed record CommandContext(IReadOnlyList<string> Args, TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string?> Environment);

/// <summary>One command of the program (<c>Push.Silo NAME ARGS</c>).</summary>
/// <param name="Name">What is typed, such as <c>keys</c>.</param>
/// <param name="Arguments">Its arguments as the usage line shows them, such as <c>[WS-URL]</c>.</param>
/// <param name="Summary">One line on what it does.</param>
/// <param name="RunAsync">Runs it; returns the exit code. An <see cref="ArgumentException"/> means bad usage.</param>
/// <param name="Details">What <c>--help</c> adds below the summary: its options, what it prints.</param>
public sealed record PushCommand(string Name, string Arguments, string Summary, Func<CommandContext, Task<int>> RunAsync, string Details = "");
