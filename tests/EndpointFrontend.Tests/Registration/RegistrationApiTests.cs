using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Push.EndpointFrontend.Tests.WebPush;

namespace Push.EndpointFrontend.Tests.Registration;

[Collection(EndpointHostCollection.Name)]
public sealed class RegistrationApiTests(EndpointHostFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private Uri Url(string path) => new(fixture.Host.EndpointUri, path);

    [Fact]
    public async Task Register_Webpush_GivesUaidChannelEndpointAndSecretThatWork()
    {
        var channel = Guid.NewGuid();

        using var response = await Http.PostAsJsonAsync(Url("v1/webpush/app/registration"), new { token = "any", channelID = channel.ToString() });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["uaid", "channelID", "endpoint", "secret"], body.Select(p => p.Key));
        var uaid = Guid.Parse((string)body["uaid"]!);
        Assert.Equal(uaid.ToString("D"), (string)body["uaid"]!);
        Assert.Equal(channel.ToString(), (string)body["channelID"]!);
        using var push = await Http.PushAsync((string)body["endpoint"]!, "x", PushHttp.Aes128Gcm());
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);

        using var list = await Send(HttpMethod.Get, $"v1/webpush/app/registration/{uaid:N}", (string)body["secret"]!);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var channels = await list.JsonAsync();
        Assert.Equal(uaid.ToString("D"), (string)channels["uaid"]!);
        Assert.Equal([channel.ToString()], channels["channelIDs"]!.AsArray().Select(c => (string)c!));
    }

    [Fact]
    public async Task Subscription_AddAndDelete_EndpointFollows()
    {
        var (uaid, secret) = await RegisterAsync();

        using var added = await Send(HttpMethod.Post, $"v1/webpush/app/registration/{uaid}/subscription", secret, new { });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var body = await added.JsonAsync();
        Assert.Equal(["channelID", "endpoint"], body.Select(p => p.Key));
        var endpoint = (string)body["endpoint"]!;
        using (var ok = await Http.PushAsync(endpoint, "x", PushHttp.Aes128Gcm()))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var deleted = await Send(HttpMethod.Delete, $"v1/webpush/app/registration/{uaid}/subscription/{body["channelID"]}", secret);
        using var deletedAgain = await Send(HttpMethod.Delete, $"v1/webpush/app/registration/{uaid}/subscription/{body["channelID"]}", secret);
        using var gone = await Http.PushAsync(endpoint, "x", PushHttp.Aes128Gcm());

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await WebPushErrnoTests.AssertError(deletedAgain, HttpStatusCode.Gone, 106, null);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
    }

    [Fact]
    public async Task UnregisterUser_ThenItsEndpointsAndRoutesAreGone()
    {
        var channel = Guid.NewGuid();
        using var created = await Http.PostAsJsonAsync(Url("v1/webpush/app/registration"), new { token = "any", channelID = channel.ToString() });
        var body = await created.JsonAsync();
        var uaid = Guid.Parse((string)body["uaid"]!).ToString("N");
        var secret = (string)body["secret"]!;

        using var deleted = await Send(HttpMethod.Delete, $"v1/webpush/app/registration/{uaid}", secret);
        using var push = await Http.PushAsync((string)body["endpoint"]!, "x", PushHttp.Aes128Gcm());
        using var list = await Send(HttpMethod.Get, $"v1/webpush/app/registration/{uaid}", secret);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, push.StatusCode);
        await WebPushErrnoTests.AssertError(list, HttpStatusCode.Gone, 103, "UAID not found");
    }

    [Fact]
    public async Task UpdateToken_Webpush_IsOk()
    {
        var (uaid, secret) = await RegisterAsync();

        using var response = await Send(HttpMethod.Put, $"v1/webpush/app/registration/{uaid}", secret, new { token = "newtoken" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Routes_WrongSecretOrNone_Are401Errno109()
    {
        var (uaid, _) = await RegisterAsync();

        using var none = await Send(HttpMethod.Get, $"v1/webpush/app/registration/{uaid}", null);
        using var wrong = await Send(HttpMethod.Get, $"v1/webpush/app/registration/{uaid}", new string('0', 64));
        using var scheme = await SendRaw(HttpMethod.Get, $"v1/webpush/app/registration/{uaid}", "Basic abc");

        await WebPushErrnoTests.AssertError(none, HttpStatusCode.Unauthorized, 109, "Invalid Local Auth missing auth header");
        await WebPushErrnoTests.AssertError(wrong, HttpStatusCode.Unauthorized, 109, "Invalid Local Auth incorrect auth token");
        await WebPushErrnoTests.AssertError(scheme, HttpStatusCode.Unauthorized, 109, "Invalid Local Auth missing auth token");
    }

    [Fact]
    public async Task Routes_UnparseableOrUnknownUaid_Are410Errno103()
    {
        using var garbage = await Send(HttpMethod.Get, "v1/webpush/app/registration/not-a-uaid", "x");
        var stranger = Guid.NewGuid();
        using var unknown = await Send(HttpMethod.Get, $"v1/webpush/app/registration/{stranger:N}",
            Push.EndpointFrontend.Registration.RegistrationSecret.Create(EndpointHostFixture.AuthKey, stranger));

        await WebPushErrnoTests.AssertError(garbage, HttpStatusCode.Gone, 103, "UAID not found");
        await WebPushErrnoTests.AssertError(unknown, HttpStatusCode.Gone, 103, "UAID not found");
    }

    [Fact]
    public async Task Register_UnknownRouterType_Is400Errno108()
    {
        using var response = await Http.PostAsJsonAsync(Url("v1/carrierpigeon/app/registration"), new { token = "any" });

        await WebPushErrnoTests.AssertError(response, HttpStatusCode.BadRequest, 108, "Invalid router type");
    }

    [Fact]
    public async Task Register_BridgeRouters_AreRefusedAsUnconfigured()
    {
        using var fcm = await Http.PostAsJsonAsync(Url("v1/fcm/someapp/registration"), new { token = "a-long-enough-token" });
        using var shortToken = await Http.PostAsJsonAsync(Url("v1/gcm/someapp/registration"), new { token = "short" });
        using var apns = await Http.PostAsJsonAsync(Url("v1/apns/someapp/registration"), new { token = "a-long-enough-token" });

        await WebPushErrnoTests.AssertError(fcm, HttpStatusCode.BadRequest, 106, "User has invalid app ID someapp");
        await WebPushErrnoTests.AssertError(shortToken, HttpStatusCode.BadRequest, null, "Invalid router token");
        await WebPushErrnoTests.AssertError(apns, HttpStatusCode.BadRequest, null, "Release channel is invalid");
    }

    [Fact]
    public async Task Register_BadBodies_Are400()
    {
        using var noToken = await Http.PostAsJsonAsync(Url("v1/webpush/app/registration"), new { channelID = Guid.NewGuid() });
        using var notJson = await Http.PostAsync(Url("v1/webpush/app/registration"), new StringContent("{", new MediaTypeHeaderValue("application/json")));
        using var wrongType = await Http.PostAsync(Url("v1/webpush/app/registration"), new StringContent("{\"token\":\"x\"}"));

        await WebPushErrnoTests.AssertError(noToken, HttpStatusCode.BadRequest, null, null);
        await WebPushErrnoTests.AssertError(notJson, HttpStatusCode.BadRequest, null, null);
        await WebPushErrnoTests.AssertError(wrongType, HttpStatusCode.BadRequest, null, "Content type error");
    }

    [Fact]
    public async Task Register_WithKey_GivesAV2Endpoint()
    {
        using var vapid = new VapidSigner();

        using var response = await Http.PostAsJsonAsync(Url("v1/webpush/app/registration"), new { token = "any", key = vapid.PublicKey });

        var endpoint = (string)(await response.JsonAsync())["endpoint"]!;
        Assert.Contains("/wpush/v2/", endpoint, StringComparison.Ordinal);
        using var signed = await Http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), ("Authorization", vapid.Authorization(fixture.Audience))]);
        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
    }

    private async Task<(string Uaid, string Secret)> RegisterAsync()
    {
        using var response = await Http.PostAsJsonAsync(Url("v1/webpush/app/registration"), new { token = "any" });
        var body = await response.JsonAsync();
        return (Guid.Parse((string)body["uaid"]!).ToString("N"), (string)body["secret"]!);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string? secret, object? json = null) =>
        SendRaw(method, path, secret is null ? null : "WebPush " + secret, json);

    private async Task<HttpResponseMessage> SendRaw(HttpMethod method, string path, string? authorization, object? json = null)
    {
        using var request = new HttpRequestMessage(method, Url(path));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return await Http.SendAsync(request);
    }
}
