using Push.Testing;

namespace Push.Silo.Tests.Import;

/// <summary>
/// An autopush database as a deployment leaves it: one WebPush user with a v1 and a v2 subscription,
/// messages in every state autopush stores them in, and records the import must leave out.
/// </summary>
internal sealed class Filled : IAsyncDisposable
{
    private Filled(AutopushMigration migration, Guid uaid, Guid v1Channel, Guid v2Channel, VapidSigner vapid, string v1Endpoint, string v2Endpoint)
    {
        Migration = migration;
        Uaid = uaid;
        V1Channel = v1Channel;
        V2Channel = v2Channel;
        Vapid = vapid;
        V1Endpoint = v1Endpoint;
        V2Endpoint = v2Endpoint;
    }

    public AutopushMigration Migration { get; }

    public Guid Uaid { get; }

    public string UaidText => Uaid.ToString("N");

    public Guid V1Channel { get; }

    public Guid V2Channel { get; }

    /// <summary>The app server key the v2 subscription was made with.</summary>
    public VapidSigner Vapid { get; }

    public string V1Endpoint { get; }

    public string V2Endpoint { get; }

    /// <summary>The id of the pending message "first", which the client must see as its version.</summary>
    public string FirstVersion { get; private set; } = "";

    /// <summary>The id of a pending message its sender cancels (DELETE) after the import.</summary>
    public string CancelledVersion { get; private set; } = "";

    /// <summary>A new migration whose autopush database holds all of this.</summary>
    public static async Task<Filled> StartAsync()
    {
        var migration = await AutopushMigration.StartAsync();
        var autopush = migration.Autopush;
        var (uaid, v1, v2, gone) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var vapid = new VapidSigner();
        var filled = new Filled(migration, uaid, v1, v2, vapid,
            migration.Tokens.EndpointV1(migration.EndpointUrl, uaid, v1),
            migration.Tokens.EndpointV2(migration.EndpointUrl, uaid, v2, vapid.PublicKey));
        await autopush.AddUserAsync(uaid);
        await autopush.AddChannelAsync(uaid, v1);
        await autopush.AddChannelAsync(uaid, v2);
        await autopush.AddChannelAsync(uaid, v1);
        await autopush.Db.ListRightPushAsync($"autopush/channels/{uaid:D}", "not-a-channel");

        var t0 = DateTimeOffset.UtcNow.AddHours(-1);
        // Delivered and acked before the move: below the storage pointer, still stored (untopiced messages stay until they expire).
        await autopush.PushAsync(uaid, v1, t0.AddHours(-1), ttl: 86400, data: "acked long ago");
        await autopush.IncrementStorageAsync(uaid, t0.AddHours(-1).ToUnixTimeSeconds() + 1);
        filled.FirstVersion = await autopush.PushAsync(uaid, v1, t0, ttl: 86400, data: "first");
        await autopush.PushAsync(uaid, v2, t0.AddSeconds(1), ttl: 86400, data: "an older version of the topic", topic: "news");
        await autopush.PushAsync(uaid, v2, t0.AddSeconds(2), ttl: 86400, data: "second, with a topic", topic: "news");
        // Its hour of life ended: Redis dropped the body, the ids stay in the sorted sets.
        await autopush.PushAsync(uaid, v1, t0.AddSeconds(3), ttl: 60, data: "expired");
        await autopush.PushAsync(uaid, gone, t0.AddSeconds(4), ttl: 86400, data: "for a channel unregistered since");
        filled.CancelledVersion = await autopush.PushAsync(uaid, v1, t0.AddSeconds(5), ttl: 86400, data: "cancelled by its sender");
        await autopush.SaveAsync(uaid, $"02:{t0.AddSeconds(6).ToUnixTimeMilliseconds()}:{v1:D}", "{\"channelID\":", t0.ToUnixTimeSeconds(), t0.AddDays(1).ToUnixTimeSeconds());

        await autopush.AddUserAsync(Guid.NewGuid(), routerType: "fcm");
        await autopush.Db.StringSetAsync($"autopush/user/{Guid.NewGuid():D}", "{\"uaid\": not json");
        await autopush.Db.StringSetAsync("autopush/user/not-a-uaid", "{}");
        return filled;
    }

    public async ValueTask DisposeAsync()
    {
        Vapid.Dispose();
        await Migration.DisposeAsync();
    }
}
