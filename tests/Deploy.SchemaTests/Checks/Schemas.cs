using System.Diagnostics;

namespace Push.Deploy.Tests.Checks;

/// <summary>
/// The Kubernetes API schemas (Kubernetes, Prometheus Operator, Gateway API), checked offline by
/// <c>Schemas/validate.mjs</c> on Node.js with pinned npm packages, installed once per test output folder.
/// </summary>
internal static class Schemas
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private static readonly SemaphoreSlim Install = new(1, 1);
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Schemas");

    /// <summary>The validator's exit code and its lines (one per object).</summary>
    public static async Task<(int ExitCode, string Output)> ValidateAsync(IEnumerable<string> files)
    {
        await Install.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(Folder, "node_modules")))
            {
                var (code, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"]);
                Assert.True(code == 0, $"npm ci (Node.js and npm are needed for the schema check) failed: {output}");
            }
        }
        finally
        {
            Install.Release();
        }

        return await RunAsync("node", ["validate.mjs", .. files]);
    }

    private static async Task<(int, string)> RunAsync(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await error);
    }
}
