using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Push.EndpointFrontend.Tests.Matrix;

[Collection(EndpointHostCollection.Name)]
public sealed class MatrixGatewayTests(EndpointHostFixture fixture)
{
    private Uri Notify => new(fixture.Host.EndpointUri, "_matrix/push/v1/notify");

    [Fact]
    public async Task Get_AnswersUnifiedPushGatewayDiscovery()
    {
        using var response = await fixture.Http.GetAsync(Notify);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("matrix", (string)(await response.JsonAsync())["unifiedpush"]!["gateway"]!);
    }

    [Fact]
    public async Task Post_TwoPushkeys_DeliversToOursAndRejectsTheUnknown()
    {
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        const string unknown = "https://push.example.net/wpush/v1/unknown";
        var notification = new
        {
            notification = new
            {
                event_id = "$3957tyerfgewrf384",
                room_id = "!slw48wfj34rtnrf:example.com",
                type = "m.room.message",
                prio = "high",
                devices = new[] { new { app_id = "im.vector.app", pushkey = endpoint }, new { app_id = "im.vector.app", pushkey = unknown } },
            },
        };

        using var response = await fixture.Http.PostAsJsonAsync(Notify, notification);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([unknown], (await response.JsonAsync())["rejected"]!.AsArray().Select(r => (string)r!));
        var delivered = await client.NotificationAsync();
        var json = Encoding.UTF8.GetString(PushHttp.FromBase64Url((string)delivered["data"]!));
        Assert.Contains("$3957tyerfgewrf384", json, StringComparison.Ordinal);
        Assert.True(await client.NothingWithinAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Post_UnversionedAndV2Pushkeys_DeliversToTheUnversionedAndRejectsTheV2()
    {
        // autopush's oldest endpoints have no version segment and mean v1; a v2 endpoint asks for a
        // VAPID signature a gateway cannot give.
        var (client, _, endpoint) = await fixture.SubscribeAsync();
        await using var _c = client;
        var unversioned = endpoint.Replace("/wpush/v1/", "/wpush/", StringComparison.Ordinal);
        using var vapid = new VapidSigner();
        var (boundClient, _, bound) = await fixture.SubscribeAsync(vapid.PublicKey);
        await using var _b = boundClient;
        Assert.Contains("/wpush/v2/", bound, StringComparison.Ordinal);

        using var response = await fixture.Http.PostAsJsonAsync(Notify, Notification("$unversioned", unversioned, bound));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([bound], (await response.JsonAsync())["rejected"]!.AsArray().Select(r => (string)r!));
        var delivered = await client.NotificationAsync();
        Assert.Contains("$unversioned", Encoding.UTF8.GetString(PushHttp.FromBase64Url((string)delivered["data"]!)), StringComparison.Ordinal);
        Assert.True(await boundClient.NothingWithinAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Post_NotAMatrixNotification_Is400()
    {
        using var response = await fixture.Http.PostAsJsonAsync(Notify, new { hello = "world" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_SamePushkeyTwiceAndRetried_StoresOneMessage()
    {
        string uaid;
        string endpoint;
        await using (var client = await fixture.Host.ConnectAsync())
        {
            uaid = (string)(await client.HelloAsync())["uaid"]!;
            endpoint = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
            await client.CloseAsync();
        }

        var notification = Notification("$retried-event", endpoint, endpoint);
        using (var first = await fixture.Http.PostAsJsonAsync(Notify, notification))
        using (var retry = await fixture.Http.PostAsJsonAsync(Notify, notification))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        }

        await using var again = await fixture.Host.ConnectAsync();
        await again.HelloAsync(uaid);
        await again.NotificationAsync();
        Assert.True(await again.NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    internal static object Notification(string eventId, params string[] pushkeys) => new
    {
        notification = new
        {
            event_id = eventId,
            room_id = "!slw48wfj34rtnrf:example.com",
            devices = pushkeys.Select(p => new { app_id = "im.vector.app", pushkey = p }).ToArray(),
        },
    };
}
