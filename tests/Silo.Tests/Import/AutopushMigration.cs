using System.Globalization;
using System.Text.RegularExpressions;
using Push.Testing;
using Push.Testing.Autopush;

namespace Push.Silo.Tests.Import;

/// <summary>
/// A migration under test: an autopush database in its own redis-server, filled as autopush-rs fills
/// it, and the settings of the Push that imports it and then serves it (with autopush's crypto key).
/// </summary>
internal sealed partial class AutopushMigration : IAsyncDisposable
{
    private static readonly TimeSpan ImportTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _sourceFiles;
    private readonly RedisServer _source;

    private AutopushMigration(TempDirectory sourceFiles, RedisServer source, AutopushDatabase autopush, AutopushTokens tokens, TempDirectory data, Dictionary<string, string?> environment)
    {
        _sourceFiles = sourceFiles;
        _source = source;
        Autopush = autopush;
        Tokens = tokens;
        Data = data;
        Environment = environment;
    }

    public AutopushDatabase Autopush { get; }

    public AutopushTokens Tokens { get; }

    public TempDirectory Data { get; }

    /// <summary>Push's settings: the test store, free ports, and autopush's crypto key.</summary>
    public Dictionary<string, string?> Environment { get; }

    public string SourceDsn => _source.Dsn;

    public int WebSocketPort => Port("AUTOCONNECT__PORT");

    /// <summary>The public URL of the push API, which autopush's endpoints were minted under.</summary>
    public string EndpointUrl => $"http://127.0.0.1:{Port("AUTOEND__PORT")}";

    public static async Task<AutopushMigration> StartAsync()
    {
        var (key, setting) = AutopushTokens.NewKey();
        var tokens = new AutopushTokens(key);
        var sourceFiles = new TempDirectory();
        var source = await RedisServer.StartAsync(sourceFiles.Path, FreePorts.Next(), "--save", string.Empty, "--appendonly", "no");
        var data = new TempDirectory();
        var environment = TestHost.NewEnvironment(data.Path, new Dictionary<string, string?>
        {
            ["AUTOCONNECT__CRYPTO_KEY"] = $"[{setting}]",
            ["AUTOEND__CRYPTO_KEYS"] = $"[{setting}]",
            ["AUTOCONNECT__HUMAN_LOGS"] = "true",
        });
        return new AutopushMigration(sourceFiles, source, await AutopushDatabase.ConnectAsync(source, tokens), tokens, data, environment);
    }

    /// <summary>Runs <c>import-autopush --from</c> this source as its own process, to its end.</summary>
    public Task<(int ExitCode, string Output)> ImportAsync(params string[] options) => RunAsync(["import-autopush", "--from", SourceDsn, .. options]);

    /// <summary>Runs Push with these arguments and this migration's settings, to its end.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        await using var process = PushProcess.Start(Environment, arguments);
        await process.WaitForExitAsync(ImportTimeout);
        return (process.ExitCode, process.Output);
    }

    public PushProcess StartImport(params string[] options) =>
        PushProcess.Start(Environment, ["import-autopush", "--from", SourceDsn, .. options]);

    public async Task<PushProcess> StartPushAsync()
    {
        var push = PushProcess.Start(Environment);
        await push.WaitUntilHealthyAsync(WebSocketPort, StartTimeout);
        return push;
    }

    /// <summary>SIGTERM and wait: the embedded store's folder is free again for an import.</summary>
    public static async Task StopAsync(PushProcess push)
    {
        push.Terminate();
        await push.WaitForExitAsync(StartTimeout);
    }

    public async Task<PushTestClient> ConnectAsync() => await PushTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{WebSocketPort}/"));

    /// <summary>The figure before <paramref name="label"/> in the import's summary, e.g. <c>users, </c> or <c>already in Push</c>.</summary>
    public static long Count(string output, string label)
    {
        var match = Regex.Match(output, @"(\d+) " + Regex.Escape(label));
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>The summary's imported figures: users, channels, messages.</summary>
    public static (long Users, long Channels, long Messages) Imported(string output)
    {
        var match = Summary().Match(output);
        Assert.True(match.Success, output);
        return (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        await Autopush.DisposeAsync();
        await _source.DisposeAsync();
        _sourceFiles.Dispose();
        Data.Dispose();
    }

    private int Port(string name) => int.Parse(Environment[name]!, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\d+) users?, (\d+) channels? and (\d+) messages? (?:would be )?imported")]
    private static partial Regex Summary();
}
