using System.Net;
using System.Text;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>The single-process service driven from outside: a real WebSocket client and real HTTP.</summary>
public sealed class PushHostRoundTripTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private TestHost _host = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Push_ConnectedClient_ReceivesAndAcks()
    {
        await using var client = await _host.ConnectAsync();
        var hello = await client.HelloAsync();
        Assert.Equal(200, (int)hello["status"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string)hello["uaid"]!);
        var channel = Guid.NewGuid();
        var register = await client.RegisterAsync(channel);
        Assert.Equal(200, (int)register["status"]!);
        var endpoint = (string)register["pushEndpoint"]!;
        Assert.StartsWith(_host.EndpointUri.ToString() + "wpush/v1/", endpoint, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("hello push")) };
        request.Headers.Add("TTL", "60");
        request.Content.Headers.Add("Content-Encoding", "aes128gcm");
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("60", response.Headers.GetValues("TTL").Single());
        var notification = await client.NotificationAsync();
        Assert.Equal(channel.ToString(), (string)notification["channelID"]!);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("hello push")).TrimEnd('=').Replace('+', '-').Replace('/', '_'), (string)notification["data"]!);
        Assert.Equal("aes128gcm", (string)notification["headers"]!["encoding"]!);
        Assert.EndsWith("/m/" + (string)notification["version"]!, response.Headers.Location!.ToString(), StringComparison.Ordinal);
        await client.AckAsync(channel.ToString(), (string)notification["version"]!);
    }
}
