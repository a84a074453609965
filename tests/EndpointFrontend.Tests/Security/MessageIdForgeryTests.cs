using System.Net;
using System.Security.Cryptography;
using System.Text;
using Push.EndpointFrontend.Tests.WebPush;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.Tests.Security;

/// <summary>
/// <c>DELETE /m/{id}</c> needs no authentication, so the message id itself is the credential: it cannot be
/// altered or forged, and a real one only ever addresses the message it was issued for.
/// </summary>
[Collection(EndpointHostCollection.Name)]
public sealed class MessageIdForgeryTests(EndpointHostFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task DeleteMessage_AlteredTruncatedOrOtherKeyId_Is400NullErrnoAndTheMessageStays()
    {
        var (uaid, channel, messageId) = await StoreOfflineMessageAsync("kept");
        var before = await FuzzChecks.SnapshotAsync(fixture.Host, uaid);
        var info = Assert.IsType<MessageIdInfo>(Decrypt(messageId));

        var forged = new List<string>();
        forged.AddRange(Tamper.Positions(messageId).Select(i => Tamper.FlipCharacter(messageId, i)));
        forged.Add(messageId[..(messageId.Length / 2)]);
        forged.Add(messageId.TrimEnd('=')[..^4]);
        // The same plaintext, a well-formed Fernet token, but under a key this service does not hold.
        forged.Add(MessageId.Encrypt(new FernetKeyRing([RandomNumberGenerator.GetBytes(Fernet.KeyLength)]), info));

        foreach (var id in forged)
        {
            Assert.NotEqual(messageId, id);
            using var response = await Http.DeleteAsync(new Uri(fixture.Host.EndpointUri, "m/" + id));
            await WebPushErrnoTests.AssertError(response, HttpStatusCode.BadRequest, null, "Invalid message ID");
        }

        Assert.Equal(before, await FuzzChecks.SnapshotAsync(fixture.Host, uaid));
        await using var client = await fixture.Host.ConnectAsync();
        await client.HelloAsync(uaid.ToString("N"));
        var notification = await client.NotificationAsync();
        Assert.Equal(messageId, (string)notification["version"]!);
        Assert.Equal(channel.ToString(), (string)notification["channelID"]!);
    }

    [Fact]
    public async Task DeleteMessage_IdOfUserA_RemovesOnlyAsMessageAndBsIsDelivered()
    {
        var (uaidA, _, messageIdA) = await StoreOfflineMessageAsync("A's");
        var (uaidB, channelB, messageIdB) = await StoreOfflineMessageAsync("B's");
        var infoA = Assert.IsType<MessageIdInfo>(Decrypt(messageIdA));
        Assert.Equal(uaidA, infoA.Uaid);
        var beforeB = await FuzzChecks.SnapshotAsync(fixture.Host, uaidB);

        using (var response = await Http.DeleteAsync(new Uri(fixture.Host.EndpointUri, "m/" + messageIdA)))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        // A's id names A's UAID inside its encryption: there is no way to point it at B.
        Assert.Equal("[]", await FuzzChecks.SnapshotAsync(fixture.Host, uaidA));
        Assert.Equal(beforeB, await FuzzChecks.SnapshotAsync(fixture.Host, uaidB));
        await using var b = await fixture.Host.ConnectAsync();
        await b.HelloAsync(uaidB.ToString("N"));
        var notification = await b.NotificationAsync();
        Assert.Equal(messageIdB, (string)notification["version"]!);
        Assert.Equal(channelB.ToString(), (string)notification["channelID"]!);
        Assert.Equal(PushHttp.Base64Url("B's"), (string)notification["data"]!);
    }

    private MessageIdInfo? Decrypt(string messageId) =>
        MessageId.TryDecrypt(fixture.Host.Keys, messageId, out var info) ? info : null;

    /// <summary>A user who goes offline with one stored message; its UAID, channel and message id.</summary>
    private async Task<(Guid Uaid, Guid Channel, string MessageId)> StoreOfflineMessageAsync(string text)
    {
        var channel = Guid.NewGuid();
        string uaid, endpoint;
        await using (var client = await fixture.Host.ConnectAsync())
        {
            uaid = (string)(await client.HelloAsync())["uaid"]!;
            endpoint = (string)(await client.RegisterAsync(channel))["pushEndpoint"]!;
        }

        using var pushed = await Http.PushAsync(endpoint, text, PushHttp.Aes128Gcm("3600"));
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        return (Guid.ParseExact(uaid, "N"), channel, pushed.Headers.Location!.Segments[^1]);
    }
}
