using System.Net;
using Push.EndpointFrontend.Errors;
using Push.EndpointFrontend.Tests.WebPush;
using Push.EndpointFrontend.Vapid;

namespace Push.EndpointFrontend.Tests.Security;

/// <summary>A VAPID JWT is a bearer credential until its <c>exp</c>: a captured one cannot be replayed after it.</summary>
[Collection(EndpointHostCollection.Name)]
public sealed class VapidExpiryTests(EndpointHostFixture fixture)
{
    // The reference's JWT library allows 60 s of clock skew past exp; so does Push.
    private const int LeewaySeconds = 60;

    [Fact]
    public void Validate_SameJwtReplayedAfterExpPlusLeeway_Is401Errno109()
    {
        using var vapid = new VapidSigner();
        var issued = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var exp = issued.AddSeconds(2);
        var credentials = new VapidCredentials(vapid.Token(fixture.Audience, exp), vapid.PublicKey, "vapid");
        var clock = new SettableClock { Now = issued };
        var validator = new VapidValidator([fixture.Audience.ToLowerInvariant()], clock);

        Assert.Null(validator.Validate(credentials));
        clock.Now = exp.AddSeconds(LeewaySeconds);
        Assert.Null(validator.Validate(credentials));
        clock.Now = exp.AddSeconds(LeewaySeconds + 1);
        var replayed = validator.Validate(credentials);

        Assert.Equal(new ApiError(401, 109, "Invalid VAPID token: ExpiredSignature"), replayed);
    }

    [Fact]
    public async Task Post_JwtAcceptedThenSameKeyWithExpPast_Is401Errno109()
    {
        using var vapid = new VapidSigner();
        var (client, _, endpoint) = await fixture.SubscribeAsync(vapid.PublicKey);
        await using var _c = client;
        var fresh = $"vapid t={vapid.Token(fixture.Audience, DateTimeOffset.UtcNow.AddSeconds(30))}, k={vapid.PublicKey}";
        var expired = $"vapid t={vapid.Token(fixture.Audience, DateTimeOffset.UtcNow.AddSeconds(-LeewaySeconds - 5))}, k={vapid.PublicKey}";

        using (var first = await fixture.Http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), ("Authorization", fresh)]))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using (var again = await fixture.Http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), ("Authorization", fresh)]))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }

        using var late = await fixture.Http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), ("Authorization", expired)]);
        await WebPushErrnoTests.AssertError(late, HttpStatusCode.Unauthorized, 109, "Invalid VAPID token: ExpiredSignature");
    }

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
