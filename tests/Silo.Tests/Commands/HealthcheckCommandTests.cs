using Push.Silo.Commands;
using Push.Testing;

namespace Push.Silo.Tests.Commands;

public sealed class HealthcheckCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Healthcheck_RunningAllRole_Exits0FromItsInternalPort()
    {
        var (code, output) = await HealthcheckAsync(Environment(), "all");

        Assert.True(code == 0, output);
        Assert.Equal($"push: healthy: {_host.InternalUri}__lbheartbeat__ answered 200", output.Trim());
    }

    [Fact]
    public async Task Healthcheck_HealthPath_ReadsTheStatusOfTheAnswer()
    {
        var (code, output) = await HealthcheckAsync(Environment(), "--path", "/health");

        Assert.True(code == 0, output);
        Assert.Contains($"{_host.InternalUri}health answered 200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_NoRole_AsksHealthPortWhenNothingListensOnRouterPort()
    {
        // A silo or endpoint process: its internal port is health_port, and router_port is not served.
        var environment = Environment();
        environment["PUSH__HEALTH_PORT"] = environment["AUTOCONNECT__ROUTER_PORT"];
        environment["AUTOCONNECT__ROUTER_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, output) = await HealthcheckAsync(environment);

        Assert.True(code == 0, output);
        Assert.Contains($"{_host.InternalUri}__lbheartbeat__ answered 200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_NothingListening_Exits1SayingWhere()
    {
        var environment = Environment();
        environment["AUTOCONNECT__ROUTER_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, output) = await HealthcheckAsync(environment, "connect");

        Assert.Equal(1, code);
        Assert.Equal($"push: unhealthy: nothing listens at http://127.0.0.1:{environment["AUTOCONNECT__ROUTER_PORT"]}/__lbheartbeat__", output.Trim());
    }

    [Fact]
    public async Task Healthcheck_BadSettingsOrPath_Exits1NotDockersReserved2()
    {
        var environment = Environment();
        environment["AUTOCONNECT__ROUTER_PORT"] = "eighty";

        var (badSetting, _) = await HealthcheckAsync(environment);
        var (badPath, output) = await HealthcheckAsync(Environment(), "--path", "/metrics");

        Assert.Equal(1, badSetting);
        Assert.Equal(1, badPath);
        Assert.Contains("--path takes a health route", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_Healthcheck_ExitCodeOfTheProcessIsTheVerdict()
    {
        await using var process = PushProcess.Start(Environment(), "healthcheck");
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(process.ExitCode == 0, process.Output);
    }

    private Dictionary<string, string?> Environment() => new(_host.Environment);

    private static async Task<(int Code, string Output)> HealthcheckAsync(Dictionary<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandTable.RunAsync(["healthcheck", .. args], output, error, environment);
        return (code, output.ToString() + error);
    }
}
