namespace Push.EndpointFrontend.Tests;

/// <summary>One running host (auth keys set) shared by the endpoint tests.</summary>
public sealed class EndpointHostFixture : IAsyncLifetime
{
    public const string AuthKey = "HJVPy4ZwF4Yz_JdvXTL8hRcwIhv742vC60Tg5Ycrvw8=";
    private readonly TempDirectory _data = new();

    public TestHost Host { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    /// <summary>The VAPID audience this host accepts: its endpoint origin.</summary>
    public string Audience => Host.EndpointUri.GetLeftPart(UriPartial.Authority);

    public async Task InitializeAsync() =>
        Host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["AUTOEND__AUTH_KEYS"] = $"[{AuthKey}]" });

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>A connected, registered client and its endpoint.</summary>
    public async Task<(PushTestClient Client, Guid Channel, string Endpoint)> SubscribeAsync(string? key = null)
    {
        var client = await Host.ConnectAsync();
        await client.HelloAsync();
        var channel = Guid.NewGuid();
        var reply = await client.RegisterAsync(channel, key);
        return (client, channel, (string)reply["pushEndpoint"]!);
    }
}

[CollectionDefinition(Name)]
public sealed class EndpointHostCollection : ICollectionFixture<EndpointHostFixture>
{
    public const string Name = "endpoint host";
}
