using System.Net;
using Push.ConnectFrontend.WebSockets;

namespace Push.ConnectFrontend.Tests.WebSockets;

public sealed class ForwardedClientTests
{
    private static readonly IReadOnlyList<IPNetwork> Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    [Theory]
    [InlineData("127.0.0.1", "203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:127.0.0.1", "203.0.113.7", "203.0.113.7")]
    [InlineData("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7")]
    [InlineData("127.0.0.1", "203.0.113.7, 127.0.0.5", "203.0.113.7")]
    [InlineData("127.0.0.1", "203.0.113.7:5555", "203.0.113.7")]
    [InlineData("127.0.0.1", "[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("127.0.0.1", "nonsense, 203.0.113.7", "203.0.113.7")]
    [InlineData("127.0.0.1", "203.0.113.7, nonsense", "127.0.0.1")]
    public void Resolve_FromATrustedProxy_TheLastUntrustedForwardedAddress(string remote, string forwardedFor, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), ForwardedClient.Resolve(IPAddress.Parse(remote), forwardedFor, Loopback));
    }

    [Fact]
    public void Resolve_FromAnyoneElse_HeaderIgnored()
    {
        Assert.Equal(IPAddress.Parse("192.0.2.9"), ForwardedClient.Resolve(IPAddress.Parse("192.0.2.9"), "203.0.113.7", Loopback));
    }

    [Fact]
    public void Resolve_NoTrustedProxies_HeaderIgnored()
    {
        Assert.Equal(IPAddress.Loopback, ForwardedClient.Resolve(IPAddress.Loopback, "203.0.113.7", []));
    }

    [Fact]
    public void Resolve_NoHeader_TheConnectionsAddressAsIPv4()
    {
        Assert.Equal(IPAddress.Parse("192.0.2.9"), ForwardedClient.Resolve(IPAddress.Parse("::ffff:192.0.2.9"), null, Loopback));
    }
}
