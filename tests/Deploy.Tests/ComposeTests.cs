using System.Text.RegularExpressions;
using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;
using Push.Silo.Hosting;
using Push.Testing;

namespace Push.Deploy.Tests;

/// <summary>The Compose file and its .env.example: the notes' names, settings Push reads, ports it serves.</summary>
public sealed class ComposeTests
{
    private static string ComposeFile => Path.Combine(RepoFiles.Deploy, "docker-compose.yml");

    private static string EnvExample => Path.Combine(RepoFiles.Deploy, ".env.example");

    [Fact]
    public void EnvExample_HasEveryVariableOfTheNotes()
    {
        var names = DotEnv.Read(EnvExample).Keys.Concat(DotEnv.CommentedNames(EnvExample)).ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(SeedFiles.ReadDotEnv(SeedFiles.DotEnv).Keys, n => !names.Contains(n));
    }

    [Fact]
    public void EnvExample_Variables_AreReadByPushOrByTheComposeFile()
    {
        var interpolated = Regex.Matches(File.ReadAllText(ComposeFile), @"\$\{([A-Za-z_][A-Za-z0-9_]*)").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var names = DotEnv.Read(EnvExample).Keys.Concat(DotEnv.CommentedNames(EnvExample));

        Assert.DoesNotContain(PushEnvironment.Unknown(names), n => !interpolated.Contains(n));
    }

    [Fact]
    public void PushServices_StartWithTheEnvExampleAndPublishOnlyPublicPorts()
    {
        var problems = Problems(DotEnv.Read(EnvExample));

        Assert.Empty(problems);
    }

    [Fact]
    public void Check_EnvWithoutAnyPublicUrl_IsReported()
    {
        var environment = DotEnv.Read(EnvExample);
        foreach (var name in new[] { "AUTOEND__ENDPOINT_URL", "AUTOCONNECT__ENDPOINT_SCHEME", "AUTOCONNECT__ENDPOINT_HOSTNAME", "AUTOCONNECT__ENDPOINT_PORT" })
        {
            environment.Remove(name);
        }

        Assert.Contains(Problems(environment), p => p.Contains("AUTOEND__ENDPOINT_URL", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("172.17.0.1", true)]
    [InlineData("172.18.0.1", true)]
    [InlineData("203.0.113.7", false)]
    public void EnvExample_TrustedProxies_AreNginxThroughDockersBridgeOnly(string address, bool trusted)
    {
        var (configuration, error) = PushEnvironment.Load(["connect"], DotEnv.Read(EnvExample));

        Assert.True(configuration is not null, error);
        Assert.Equal(trusted, configuration.Silo.TrustedProxies.Any(n => n.Contains(System.Net.IPAddress.Parse(address))));
    }

    [Fact]
    public void PushServices_WithTheSeedDotEnv_AcceptVapidTokensForTheUrlClientsAreHanded()
    {
        // The notes' .env has no AUTOEND__ENDPOINT_URL: the endpoint frontend listens as autoendpoint:8000
        // while clients are handed https://push-api.example.com, which senders sign their tokens for.
        var environment = SeedFiles.ReadDotEnv(SeedFiles.DotEnv).ToDictionary(p => p.Key, p => p.Value ?? string.Empty, StringComparer.Ordinal);

        Assert.Empty(Problems(environment));
    }

    [Fact]
    public void PushServices_HealthcheckAsksTheInternalPortOfTheirRole()
    {
        var problems = new List<string>();
        foreach (var (name, service) in Services().Where(s => PushContainers.IsPush(s.Value.Text("image"))))
        {
            var healthcheck = service.Map("healthcheck");
            var test = healthcheck.List("test").OfType<string>().ToList();
            var (configuration, error) = PushEnvironment.Load(service.List("command").OfType<string>().ToList(), DotEnv.Read(EnvExample));
            Assert.True(configuration is not null, error);
            Assert.True(test.FirstOrDefault() == "CMD", $"{name}: the health check must run without a shell (CMD), not {test.FirstOrDefault()}");
            problems.AddRange(HealthChecks.Problems(name, test[1..], configuration, HealthChecks.Duration(healthcheck.Text("timeout"))));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Frontends_StartOnceTheSiloIsHealthy()
    {
        var services = Services();

        Assert.Equal("service_healthy", services["autoconnect"].Map("depends_on").Map("silo").Text("condition"));
        Assert.Equal("service_healthy", services["autoendpoint"].Map("depends_on").Map("silo").Text("condition"));
        Assert.NotNull(services["silo"].Map("healthcheck"));
    }

    [Fact]
    public void Valkey_AppendsEveryWriteToItsVolume()
    {
        var valkey = Services()["valkey"];
        var command = valkey.Text("command")!;

        Assert.Contains("--appendonly yes --appendfsync always", command, StringComparison.Ordinal);
        Assert.Contains(valkey.List("volumes").OfType<string>(), v => v.EndsWith(":/data", StringComparison.Ordinal));
        Assert.Contains("--dir /data", command, StringComparison.Ordinal);
    }

    [Fact]
    public void PushServices_AreBuiltFromThisCheckoutAndNeverPulled()
    {
        var push = Services().Where(s => PushContainers.IsPush(s.Value.Text("image"))).ToList();

        Assert.Equal(3, push.Count);
        // A pull of "push:latest" would fetch whatever a registry has under that name.
        Assert.All(push, s => Assert.Equal("build", s.Value.Text("pull_policy")));
        Assert.All(push, s => Assert.True(File.Exists(Path.Combine(RepoFiles.Deploy, s.Value.Map("build").Text("context")!, "Dockerfile")), s.Key));
    }

    [Fact]
    public void PushServices_GetMoreTimeToStopThanPushTakes()
    {
        foreach (var (name, service) in Services().Where(s => PushContainers.IsPush(s.Value.Text("image"))))
        {
            var grace = service.Text("stop_grace_period");
            Assert.True(grace is not null && grace.EndsWith('s'), $"{name}: stop_grace_period in seconds");
            Assert.True(int.Parse(grace[..^1], System.Globalization.CultureInfo.InvariantCulture) > PushHost.ShutdownTimeout.TotalSeconds, $"{name}: {grace}");
        }
    }

    [Fact]
    public void Valkey_IsHealthyBeforeTheSiloStarts()
    {
        var services = Services();

        Assert.Equal(["CMD", "valkey-cli", "ping"], services["valkey"].Map("healthcheck").List("test").OfType<string>());
        Assert.Equal("service_healthy", services["silo"].Map("depends_on").Map("valkey").Text("condition"));
    }

    private static Dictionary<string, Dictionary<string, object?>> Services() =>
        Yaml.Load(ComposeFile).Map("services")!.ToDictionary(p => p.Key, p => (Dictionary<string, object?>)p.Value!, StringComparer.Ordinal);

    private static List<string> Problems(Dictionary<string, string> environment)
    {
        var problems = new List<string>();
        var services = Services();
        var processes = new List<(string, PushConfiguration)>();
        foreach (var (name, service) in services.Where(s => PushContainers.IsPush(s.Value.Text("image"))))
        {
            if (service.Map("build") is { } build && !File.Exists(Path.Combine(RepoFiles.Deploy, build.Text("context")!, "Dockerfile")))
            {
                problems.Add($"{name}: its build context has no Dockerfile");
            }

            var (configuration, error) = PushEnvironment.Load(service.List("command").OfType<string>().ToList(), environment);
            if (configuration is null)
            {
                problems.Add($"{name}: Push would not start: {error}");
                continue;
            }

            processes.Add((name, configuration));
            var publicPorts = HostPorts.Of(configuration).Where(p => p.IsPublic).Select(p => p.Number).ToHashSet();
            foreach (var published in service.List("ports").OfType<string>())
            {
                if (!publicPorts.Contains(int.Parse(published.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture)))
                {
                    problems.Add($"{name}: publishes {published}, which is not a public port of the {configuration.Role} role");
                }
            }

            if (configuration.DbDsn is { } dsn && !services.ContainsKey(new Uri(dsn).Host))
            {
                problems.Add($"{name}: db_dsn names {new Uri(dsn).Host}, which is no service of the Compose file");
            }
        }

        problems.AddRange(Agreement.Problems(processes));
        return problems;
    }
}
