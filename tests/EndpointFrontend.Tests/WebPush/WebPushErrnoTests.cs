using System.Net;

namespace Push.EndpointFrontend.Tests.WebPush;

/// <summary>Every row of the reference's errno table that a WebPush sender can meet, over real HTTP.</summary>
[Collection(EndpointHostCollection.Name)]
public sealed class WebPushErrnoTests(EndpointHostFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Post_UnknownApiVersion_Is404Errno102WithBody()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;

        using var response = await Http.PushAsync(endpoint.Replace("/wpush/v1/", "/wpush/v3/", StringComparison.Ordinal), "x", PushHttp.Aes128Gcm());

        await AssertError(response, HttpStatusCode.NotFound, 102, "Invalid API version");
    }

    [Theory]
    [InlineData("notatoken")]
    [InlineData("gAAAAABhZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo")]
    public async Task Post_UndecryptableToken_Is404Errno102(string token)
    {
        using var response = await Http.PushAsync(fixture.Host.EndpointUri + "wpush/v1/" + token, "x", PushHttp.Aes128Gcm());

        await AssertError(response, HttpStatusCode.NotFound, 102, "Invalid token");
    }

    [Fact]
    public async Task Post_V1TokenOnV2Path_Is404Errno102()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        using var vapid = new VapidSigner();

        using var response = await Http.PushAsync(endpoint.Replace("/wpush/v1/", "/wpush/v2/", StringComparison.Ordinal), "x",
            [.. PushHttp.Aes128Gcm(), ("Authorization", vapid.Authorization(fixture.Audience))]);

        await AssertError(response, HttpStatusCode.NotFound, 102, "Invalid token");
    }

    [Fact]
    public async Task Post_BodyOverMaxDataBytes_Is413Errno104()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;

        using var fits = await Http.PushAsync(endpoint, new string('a', 5630), PushHttp.Aes128Gcm());
        using var tooBig = await Http.PushAsync(endpoint, new string('a', 5631), PushHttp.Aes128Gcm());

        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
        await AssertError(tooBig, HttpStatusCode.RequestEntityTooLarge, 104, null);
    }

    [Fact]
    public async Task Post_UnregisteredChannel_Is410Errno106EvenWithBadHeaders()
    {
        var (client, channel, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        await client.SendAsync(new { messageType = "unregister", channelID = channel.ToString() });
        await client.ReceiveAsync();

        using var good = await Http.PushAsync(endpoint, "x", PushHttp.Aes128Gcm());
        using var noTtl = await Http.PushAsync(endpoint, "x", ("Content-Encoding", "aes128gcm"));

        await AssertError(good, HttpStatusCode.Gone, 106, "No such subscription");
        Assert.Equal("max-age=86400", good.Headers.CacheControl!.ToString());
        // The reference looks up the subscription before it reads headers: 410 wins over 400.
        await AssertError(noTtl, HttpStatusCode.Gone, 106, null);
    }

    [Fact]
    public async Task Post_VapidProblems_Are401Errno109()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        using var vapid = new VapidSigner();
        var past = vapid.Token(fixture.Audience, DateTimeOffset.UtcNow.AddHours(-1));
        var tooLong = vapid.Token(fixture.Audience, DateTimeOffset.UtcNow.AddHours(25));
        var wrongAudience = vapid.Token("https://elsewhere.example.com");
        var noExp = vapid.Token(fixture.Audience, claimsOverride: new { aud = fixture.Audience });
        var textExp = vapid.Token(fixture.Audience, claimsOverride: new { aud = fixture.Audience, exp = "@" });

        foreach (var authorization in new[]
        {
            "Bearer",
            "Basic abc",
            $"vapid t={past}, k={vapid.PublicKey}",
            $"vapid t={tooLong}, k={vapid.PublicKey}",
            $"vapid t={wrongAudience}, k={vapid.PublicKey}",
            $"vapid t={noExp}, k={vapid.PublicKey}",
            $"vapid t={textExp}, k={vapid.PublicKey}",
            $"vapid t={vapid.Token(fixture.Audience)}",
            $"vapid k={vapid.PublicKey}",
            $"vapid t={vapid.Token(fixture.Audience)}x, k={vapid.PublicKey}",
            $"vapid t={vapid.Token(fixture.Audience)}, k=invalid|",
        })
        {
            using var response = await Http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), ("Authorization", authorization)]);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{authorization}: {response.StatusCode}");
            Assert.Equal(109, await response.ErrnoAsync());
        }
    }

    [Theory]
    [InlineData(null, "Missing Crypto-Key header")]
    [InlineData("dh=abc;nonsense", "Invalid Crypto-Key header")]
    [InlineData("dh=abc", "Missing p256ecdsa in Crypto-Key header")]
    public async Task Post_DraftVapidWithoutItsCryptoKey_Is400Errno110(string? cryptoKey, string message)
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        using var vapid = new VapidSigner();
        (string, string)[] headers = [.. PushHttp.Aes128Gcm(), ("Authorization", "WebPush " + vapid.Token(fixture.Audience))];
        if (cryptoKey is not null)
        {
            headers = [.. headers, ("Crypto-Key", cryptoKey)];
        }

        using var response = await Http.PushAsync(endpoint, null, headers);

        await AssertError(response, HttpStatusCode.BadRequest, 110, message);
    }

    [Theory]
    [InlineData(null, null, null, "Missing Content-Encoding header")]
    [InlineData("aesgcm128", null, null, "Unknown Content-Encoding header")]
    [InlineData("gzip", null, null, "Unknown Content-Encoding header")]
    [InlineData("aesgcm", null, null, "Missing Encryption header")]
    [InlineData("aesgcm", "keyid=p256dh", null, "Missing salt value in Encryption header")]
    [InlineData("aesgcm", "salt=not*base64", null, "Invalid salt value in Encryption header")]
    [InlineData("aesgcm", "salt", null, "Invalid Encryption header")]
    [InlineData("aesgcm", "salt=abc", "keyid=a1", "Missing dh value in Crypto-Key header")]
    [InlineData("aes128gcm", "salt=abc", null, "Do not include 'salt' header in aes128gcm Encryption header")]
    [InlineData("aes128gcm", null, "dh=abc", "Do not include 'dh' header in aes128gcm Crypto-Key header")]
    public async Task Post_BodyWithBadEncryptionHeaders_Is400Errno110(string? encoding, string? encryption, string? cryptoKey, string message)
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        var headers = new List<(string, string)> { ("TTL", "60") };
        if (encoding is not null)
        {
            headers.Add(("Content-Encoding", encoding));
        }

        if (encryption is not null)
        {
            headers.Add(("Encryption", encryption));
        }

        if (cryptoKey is not null)
        {
            headers.Add(("Crypto-Key", cryptoKey));
        }

        using var response = await Http.PushAsync(endpoint, "body", [.. headers]);

        await AssertError(response, HttpStatusCode.BadRequest, 110, message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    [InlineData("1.5")]
    public async Task Post_MissingOrUnreadableTtl_Is400Errno111(string? ttl)
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        (string, string)[] headers = ttl is null ? [("Content-Encoding", "aes128gcm")] : [("TTL", ttl), ("Content-Encoding", "aes128gcm")];

        using var response = await Http.PushAsync(endpoint, "x", headers);

        await AssertError(response, HttpStatusCode.BadRequest, 111, "Missing TTL value");
    }

    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "Topic must be no greater than 32 characters")]
    [InlineData("no spaces", "Topic must be URL and Filename safe Base64 alphabet")]
    [InlineData("sl/ash", "Topic must be URL and Filename safe Base64 alphabet")]
    public async Task Post_BadTopic_Is400Errno113(string topic, string message)
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;

        using var response = await Http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), ("Topic", topic)]);

        await AssertError(response, HttpStatusCode.BadRequest, 113, message);
    }

    [Fact]
    public async Task Post_NegativeTtl_Is400Errno114()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;

        using var response = await Http.PushAsync(endpoint, "x", PushHttp.Aes128Gcm("-1"));

        await AssertError(response, HttpStatusCode.BadRequest, 114, "TTL must be greater than 0");
    }

    [Fact]
    public async Task DeleteMessage_GarbageId_Is400WithNullErrno()
    {
        using var response = await Http.DeleteAsync(new Uri(fixture.Host.EndpointUri, "m/garbage"));

        await AssertError(response, HttpStatusCode.BadRequest, null, "Invalid message ID");
    }

    [Fact]
    public async Task ErrorCheckRoute_Is418Errno999()
    {
        using var response = await Http.GetAsync(new Uri(fixture.Host.EndpointUri, "__error__"));

        await AssertError(response, (HttpStatusCode)418, 999, "ERROR:Success");
    }

    internal static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, int? errno, string? message)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["code", "errno", "error", "message", "more_info"], body.Select(p => p.Key));
        Assert.Equal((int)status, (int)body["code"]!);
        Assert.Equal(errno, (int?)body["errno"]);
        if (message is not null)
        {
            Assert.Equal(message, (string)body["message"]!);
        }
    }
}
