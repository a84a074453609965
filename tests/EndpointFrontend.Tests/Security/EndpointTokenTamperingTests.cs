using System.Net;
using System.Security.Cryptography;
using Push.EndpointFrontend.Tests.WebPush;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.Tests.Security;

/// <summary>An endpoint token is accepted only exactly as it was issued, and only under this service's keys.</summary>
[Collection(EndpointHostCollection.Name)]
public sealed class EndpointTokenTamperingTests(EndpointHostFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Post_V1TokenWithAFlippedCharacterOrTruncated_Is404Errno102()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        await AssertOnlyTheIssuedTokenWorks(endpoint, []);
    }

    [Fact]
    public async Task Post_V2TokenWithAFlippedCharacterOrTruncated_Is404Errno102()
    {
        using var vapid = new VapidSigner();
        var (client, _, endpoint) = await fixture.SubscribeAsync(vapid.PublicKey);
        await using var _c = client;
        Assert.Contains("/wpush/v2/", endpoint, StringComparison.Ordinal);
        await AssertOnlyTheIssuedTokenWorks(endpoint, [("Authorization", vapid.Authorization(fixture.Audience))]);
    }

    [Fact]
    public async Task Post_TokenOfARealSubscriptionUnderAnotherKey_Is404Errno102()
    {
        var (client, channel, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        var uaid = Guid.ParseExact(client.Uaid!, "N");
        var otherKey = new FernetKeyRing([RandomNumberGenerator.GetBytes(Fernet.KeyLength)]);
        var forged = EndpointToken.Create(otherKey, uaid, channel, null);

        using var response = await Http.PushAsync(fixture.Host.EndpointUri + "wpush/v1/" + forged, "x", PushHttp.Aes128Gcm());

        await WebPushErrnoTests.AssertError(response, HttpStatusCode.NotFound, 102, "Invalid token");
        using var real = await Http.PushAsync(endpoint, "x", PushHttp.Aes128Gcm());
        Assert.Equal(HttpStatusCode.Created, real.StatusCode);
    }

    private async Task AssertOnlyTheIssuedTokenWorks(string endpoint, (string Name, string Value)[] extraHeaders)
    {
        var slash = endpoint.LastIndexOf('/');
        var prefix = endpoint[..(slash + 1)];
        var token = endpoint[(slash + 1)..];

        var altered = Tamper.Positions(token).Select(i => Tamper.FlipCharacter(token, i)).ToList();
        altered.Add(token[..^1]);
        altered.Add(token[..^4]);
        altered.Add(token[..(token.Length / 2)]);
        foreach (var bad in altered)
        {
            using var response = await Http.PushAsync(prefix + bad, "x", [.. PushHttp.Aes128Gcm(), .. extraHeaders]);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{bad}: {response.StatusCode}");
            await WebPushErrnoTests.AssertError(response, HttpStatusCode.NotFound, 102, "Invalid token");
        }

        using var issued = await Http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), .. extraHeaders]);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
    }
}
