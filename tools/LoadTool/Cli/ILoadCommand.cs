namespace Push.LoadTool.Cli;

/// <summary>One subcommand of the load tool.</summary>
public interface ILoadCommand
{
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>The full <c>--help</c> text: what it measures, then its options.</summary>
    string Usage { get; }

    Task<int> RunAsync(Arguments args, CancellationToken cancel);
}
