using Push.Shared;
using Push.Silo.Commands;
using Push.Testing;

namespace Push.Silo.Tests.Commands;

public sealed class CommandTableTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    public static TheoryData<string> Names => [.. CommandTable.Commands.Select(c => c.Name)];

    [Fact]
    public async Task RunAsync_Help_ListsEveryCommand()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.StartsWith($"Usage: {CommandTable.Program} [COMMAND]", output, StringComparison.Ordinal);
        Assert.All(CommandTable.Commands, c => Assert.Contains($"  {c.Name} ", output, StringComparison.Ordinal));
        Assert.Contains("check", output, StringComparison.Ordinal);
        Assert.Contains("healthcheck", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task RunAsync_HelpOfACommand_ShowsItsUsageAndRunsNothing(string name)
    {
        var (code, output, error) = await RunAsync(name, "--help");

        Assert.Equal(0, code);
        Assert.StartsWith($"Usage: {CommandTable.Program} {name}", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task RunAsync_VersionOfACommand_PrintsTheVersion(string name)
    {
        var (code, output, _) = await RunAsync(name, "--version");

        Assert.Equal(0, code);
        Assert.Equal($"push {ServiceVersion.Current}\n", output);
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_Exits2WithTheUsage()
    {
        var (code, _, error) = await RunAsync("chek");

        Assert.Equal(2, code);
        Assert.StartsWith("push: unknown command \"chek\"", error, StringComparison.Ordinal);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadArgumentOfACommand_Exits2PointingAtItsHelp()
    {
        var (code, _, error) = await RunAsync("keys", "extra");

        Assert.Equal(2, code);
        Assert.Contains($"{CommandTable.Program} keys --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_Version_AnswersAsAProcess()
    {
        await using var process = PushProcess.Start(NoEnvironment, "--version");
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, process.ExitCode);
        Assert.Equal($"push {ServiceVersion.Current}", process.Output.Trim());
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = await CommandTable.RunAsync(args, output, error, NoEnvironment);
        return (code, output.ToString(), error.ToString());
    }
}
