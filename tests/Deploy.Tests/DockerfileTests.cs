using System.Text.Json;
using System.Text.RegularExpressions;
using Push.Deploy.Tests.Checks;
using Push.Deploy.Tests.Manifests;
using Push.Shared.Settings;
using Push.Silo.Hosting;

namespace Push.Deploy.Tests;

/// <summary>The image: what it runs, as whom, and the ports it says it serves.</summary>
public sealed class DockerfileTests
{
    private static readonly DockerImage Image = DockerImage.Repository;

    [Fact]
    public void Exposed_Ports_AreThePortsOfEveryRoleAtTheirDefaults()
    {
        var ports = new[] { HostRole.All, HostRole.Silo, HostRole.Connect, HostRole.Endpoint }
            .SelectMany(role => HostPorts.Of(Defaults(role)))
            .Select(p => p.Number)
            .ToHashSet();

        Assert.Equal(ports.Order(), Image.Exposed.Order());
    }

    [Fact]
    public void EntryPoint_RunsPushAndTheCommandIsARole()
    {
        Assert.Equal(["dotnet", typeof(PushHost).Assembly.GetName().Name + ".dll"], Image.EntryPoint);
        Assert.Equal(HostRole.All, HostCommandLine.Parse(Image.Command).Role);
    }

    [Fact]
    public void Environment_OfTheImage_IsReadByPushOrTheRuntime()
    {
        // ASPNETCORE_HTTP_PORTS is emptied to silence the base image's default (Push binds its own ports).
        Assert.Empty(PushEnvironment.Unknown(Image.Environment.Keys.Where(k => k != "ASPNETCORE_HTTP_PORTS")));
        Assert.Equal("0.0.0.0", Image.Environment["AUTOEND__HOST"]);
    }

    [Fact]
    public void User_IsNotRoot()
    {
        Assert.NotNull(Image.User);
        Assert.DoesNotContain(Image.User, new[] { "root", "0", "0:0" });
    }

    [Fact]
    public void SdkImage_IsPinnedToAVersionInTheFeatureBandOfGlobalJson()
    {
        var text = File.ReadAllText(RepoFiles.Dockerfile);
        var sdk = Regex.Match(text, @"^FROM mcr\.microsoft\.com/dotnet/sdk:(\S+) AS build$", RegexOptions.Multiline).Groups[1].Value;
        using var global = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoFiles.Root, "global.json")));
        var wanted = global.RootElement.GetProperty("sdk");

        Assert.Matches(@"^\d+\.\d+\.\d{3}$", sdk);
        Assert.Equal("latestFeature", wanted.GetProperty("rollForward").GetString());
        var (pinned, band) = (Version.Parse(sdk), Version.Parse(wanted.GetProperty("version").GetString()!));
        Assert.Equal((band.Major, band.Minor, band.Build / 100), (pinned.Major, pinned.Minor, pinned.Build / 100));
        Assert.True(pinned >= band, $"{pinned} is below {band}");
    }

    [Fact]
    public void Publish_IsReadyToRunForTheImagesPlatform()
    {
        var joined = File.ReadAllText(RepoFiles.Dockerfile).Replace("\\\n", " ", StringComparison.Ordinal);
        var command = Regex.Match(joined, "^RUN dotnet publish .*$", RegexOptions.Multiline).Value;

        Assert.Contains("-p:PublishReadyToRun=true", command, StringComparison.Ordinal);
        Assert.Contains("-r linux-", command, StringComparison.Ordinal);
        Assert.Contains("$TARGETARCH", command, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HostRole.All)]
    [InlineData(HostRole.Silo)]
    [InlineData(HostRole.Connect)]
    [InlineData(HostRole.Endpoint)]
    public void Healthcheck_RunsPushWithoutAShellAndReachesEveryRole(HostRole role)
    {
        var healthcheck = Image.Healthcheck;

        Assert.NotNull(healthcheck);
        Assert.Null(healthcheck.ShellCommand);
        Assert.Empty(HealthChecks.Problems($"the image running {role}", healthcheck.ExecCommand!, Defaults(role), HealthChecks.Duration(healthcheck.Options["timeout"])));
    }

    private static PushConfiguration Defaults(HostRole role) => new(
        ConnectSettings.Load(SettingsSource.Empty(ConnectSettings.EnvironmentPrefix)),
        EndpointSettings.Load(SettingsSource.Empty(EndpointSettings.EnvironmentPrefix)),
        SiloSettings.Load(SettingsSource.Empty(SiloSettings.EnvironmentPrefix))) { Role = role };
}
