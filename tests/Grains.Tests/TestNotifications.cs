using Push.Grains.Messages;

namespace Push.Grains.Tests;

/// <summary>Builds notifications the way the endpoint does, with increasing sort keys.</summary>
internal static class TestNotifications
{
    private static long _sortKey = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    public static Notification Make(Guid channel, long ttl = 60, string? topic = null, string? data = "ZGF0YQ", Urgency urgency = Urgency.Normal, long? timestamp = null)
    {
        var sortKey = Interlocked.Increment(ref _sortKey);
        return new Notification(channel, $"v-{Guid.NewGuid():N}", ttl, timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), topic, sortKey, data,
            data is null ? null : new NotificationHeaders("aes128gcm", null, null), urgency);
    }
}
