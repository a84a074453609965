using Push.Deploy.Tests.Checks;
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

    private static PushConfiguration Defaults(HostRole role) => new(
        ConnectSettings.Load(SettingsSource.Empty(ConnectSettings.EnvironmentPrefix)),
        EndpointSettings.Load(SettingsSource.Empty(EndpointSettings.EnvironmentPrefix)),
        SiloSettings.Load(SettingsSource.Empty(SiloSettings.EnvironmentPrefix))) { Role = role };
}
