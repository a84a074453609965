using System.Net;
using System.Text.Json.Nodes;

namespace Push.EndpointFrontend.Tests.WebPush;

/// <summary>What each push header does to the answer and to the message the client gets.</summary>
[Collection(EndpointHostCollection.Name)]
public sealed class WebPushHeaderRulesTests(EndpointHostFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Post_Accepted_Is201WithLocationAndEffectiveTtl()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;

        using var response = await Http.PushAsync(endpoint, "x", PushHttp.Aes128Gcm("99999999"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("2592000", response.Headers.GetValues("TTL").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var version = (string)(await client.NotificationAsync())["version"]!;
        Assert.Equal($"{fixture.Audience}/m/{version}", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Post_EmptyBodyWithoutCryptoHeaders_DeliversNoDataNoHeaders()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;

        using var response = await Http.PushAsync(endpoint, null, ("TTL", "60"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var notification = await client.NotificationAsync();
        Assert.False(notification.ContainsKey("data"));
        Assert.False(notification.ContainsKey("headers"));
    }

    [Fact]
    public async Task Post_EmptyBodyWithCryptoHeaders_IgnoresThem()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;

        using var response = await Http.PushAsync(endpoint, null, ("TTL", "60"), ("Content-Encoding", "aesgcm"), ("Encryption", "nonsense"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var notification = await client.NotificationAsync();
        Assert.Equal(["messageType", "channelID", "version"], notification.Select(p => p.Key));
    }

    [Fact]
    public async Task Post_Aesgcm_DeliversNormalisedHeaders()
    {
        var (client, channel, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;

        using var response = await Http.PushAsync(endpoint, "payload",
            ("TTL", "60"),
            ("Content-Encoding", "aesgcm"),
            ("Encryption", "keyid=\"http://example.org/bob/keys/123\";salt=\"XZwpw6o37R-6qoZjw6KwAw==\""),
            ("Crypto-Key", "keyid=\"a1\"; dh=\"JcqK-OLkJZlJ3sJJWstJCA\""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var notification = await client.NotificationAsync();
        Assert.Equal(channel.ToString(), (string)notification["channelID"]!);
        Assert.Equal(PushHttp.Base64Url("payload"), (string)notification["data"]!);
        var headers = notification["headers"]!.AsObject();
        Assert.Equal("aesgcm", (string)headers["encoding"]!);
        Assert.Equal("keyid=http://example.org/bob/keys/123;salt=XZwpw6o37R-6qoZjw6KwAw", (string)headers["encryption"]!);
        Assert.Equal("keyid=a1; dh=JcqK-OLkJZlJ3sJJWstJCA", (string)headers["crypto_key"]!);
    }

    [Fact]
    public async Task Post_Topic_LaterMessageReplacesTheStoredOne()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        var uaid = client.Uaid!;
        await client.DisposeAsync();

        using (await Http.PushAsync(endpoint, "old", [.. PushHttp.Aes128Gcm(), ("Topic", "Inbox")]))
        using (await Http.PushAsync(endpoint, "new", [.. PushHttp.Aes128Gcm(), ("Topic", "Inbox")]))
        {
        }

        await using var again = await fixture.Host.ConnectAsync();
        await again.HelloAsync(uaid);
        Assert.Equal(PushHttp.Base64Url("new"), (string)(await again.NotificationAsync())["data"]!);
        Assert.True(await again.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Post_Urgency_BelowTheClientsMinimumWaitsUntilItIsLowered()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        await client.SendAsync(new { messageType = "urgency", min = "high" });
        Assert.Equal(200, (int)(await client.ReceiveAsync())!["status"]!);

        using (await Http.PushAsync(endpoint, "low", [.. PushHttp.Aes128Gcm(), ("Urgency", "low")]))
        using (await Http.PushAsync(endpoint, "high", [.. PushHttp.Aes128Gcm(), ("Urgency", "high")]))
        {
        }

        Assert.Equal(PushHttp.Base64Url("high"), (string)(await client.NotificationAsync())["data"]!);
        await client.SendAsync(new { messageType = "urgency", min = "very-low" });
        Assert.Equal("urgency", (string)(await client.ReceiveAsync())!["messageType"]!);
        Assert.Equal(PushHttp.Base64Url("low"), (string)(await client.NotificationAsync())["data"]!);
    }

    [Theory]
    [InlineData("vapid t={0},k={1}")]
    [InlineData("vapid t={0}, k={1}")]
    [InlineData("VAPID k={1}, t={0}")]
    public async Task Post_VapidHeaderForms_AreAccepted(string format)
    {
        using var vapid = new VapidSigner();
        var (client, _, endpoint) = await fixture.SubscribeAsync(vapid.PublicKey);
        await using var _c = client;

        using var response = await Http.PushAsync(endpoint, "x",
            [.. PushHttp.Aes128Gcm(), ("Authorization", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, vapid.Token(fixture.Audience), vapid.PublicKey))]);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Post_DraftVapidWithCryptoKeyP256ecdsa_IsAcceptedWithoutSub()
    {
        using var vapid = new VapidSigner();
        var (client, _, endpoint) = await fixture.SubscribeAsync(vapid.PublicKey);
        await using var _c = client;
        var token = vapid.Token(fixture.Audience, subject: null);

        using var response = await Http.PushAsync(endpoint, null,
            ("TTL", "60"), ("Authorization", "Bearer " + token), ("Crypto-Key", $"keyid=\"a1\";p256ecdsa=\"{vapid.PublicKey}\""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Post_V2WithoutVapidOrWithAnotherKey_Is401()
    {
        using var vapid = new VapidSigner();
        using var other = new VapidSigner();
        var (client, _, endpoint) = await fixture.SubscribeAsync(vapid.PublicKey);
        await using var _c = client;

        using var none = await Http.PushAsync(endpoint, "x", PushHttp.Aes128Gcm());
        using var mismatch = await Http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), ("Authorization", other.Authorization(fixture.Audience))]);

        await WebPushErrnoTests.AssertError(none, HttpStatusCode.Unauthorized, 109, "Missing VAPID public key");
        await WebPushErrnoTests.AssertError(mismatch, HttpStatusCode.Unauthorized, 109, "VAPID public key mismatch");
    }

    [Fact]
    public async Task Post_LargestBody_RoundTripsExactly()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        var body = string.Concat(Enumerable.Repeat("0123456789", 563));

        using var response = await Http.PushAsync(endpoint, body, PushHttp.Aes128Gcm());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(PushHttp.Base64Url(body), (string)(await client.NotificationAsync())["data"]!);
    }

    [Fact]
    public async Task DeleteMessage_StoredTopicMessage_Is204AndGone()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        var uaid = client.Uaid!;
        await client.DisposeAsync();
        using var posted = await Http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), ("Topic", "t")]);

        using var deleted = await Http.DeleteAsync(posted.Headers.Location);
        using var again = await Http.DeleteAsync(posted.Headers.Location);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        await using var reconnected = await fixture.Host.ConnectAsync();
        await reconnected.HelloAsync(uaid);
        Assert.True(await reconnected.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Post_NotificationJson_HasOnlyTheReferenceFields()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;

        using (await Http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), ("Topic", "t"), ("Urgency", "high")]))
        {
        }

        JsonObject notification = await client.NotificationAsync();
        Assert.Equal(["messageType", "channelID", "version", "data", "headers"], notification.Select(p => p.Key));
        Assert.Equal(["encoding"], notification["headers"]!.AsObject().Select(p => p.Key));
    }
}
