using System.Net;
using System.Net.Http.Json;
using Push.EndpointFrontend.Tests.WebPush;

namespace Push.EndpointFrontend.Tests.Security;

/// <summary>The registration API's secret: only the exact secret opens a user's routes, whatever the wrong one looks like.</summary>
[Collection(EndpointHostCollection.Name)]
public sealed class RegistrationSecretCheckTests(EndpointHostFixture fixture)
{
    [Fact]
    public async Task Get_WrongSecretOfSameOrOtherLength_Is401Errno109()
    {
        using var registered = await fixture.Http.PostAsJsonAsync(Url("v1/webpush/app/registration"), new { token = "any" });
        var body = await registered.JsonAsync();
        var uaid = Guid.Parse((string)body["uaid"]!).ToString("N");
        var secret = (string)body["secret"]!;
        var path = $"v1/webpush/app/registration/{uaid}";
        var lastChanged = secret[..^1] + (secret[^1] == '0' ? '1' : '0');
        var firstChanged = (secret[0] == '0' ? '1' : '0') + secret[1..];
        // Another user's valid secret is just as wrong here.
        using var other = await fixture.Http.PostAsJsonAsync(Url("v1/webpush/app/registration"), new { token = "any" });
        var otherSecret = (string)(await other.JsonAsync())["secret"]!;

        foreach (var wrong in new[] { lastChanged, firstChanged, secret.ToUpperInvariant(), otherSecret, secret[..^1], secret[..32], secret + "0", secret + secret, "x" })
        {
            Assert.NotEqual(secret, wrong);
            using var response = await Get(path, wrong);
            await WebPushErrnoTests.AssertError(response, HttpStatusCode.Unauthorized, 109, "Invalid Local Auth incorrect auth token");
        }

        using var right = await Get(path, secret);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    private Uri Url(string path) => new(fixture.Host.EndpointUri, path);

    private async Task<HttpResponseMessage> Get(string path, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(path));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + secret);
        return await fixture.Http.SendAsync(request);
    }
}
