using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Push.Grains.Messages;
using Push.Shared.Crypto;

namespace Push.EndpointFrontend.Matrix;

/// <summary>What the gateway reads from a Matrix <c>/notify</c> body.</summary>
/// <param name="Pushkeys">The devices' pushkeys, as listed (possibly repeated).</param>
/// <param name="Urgency">From <c>prio</c>.</param>
/// <param name="Topic">A topic derived from <c>event_id</c>, or null for a notification without one (counts only).</param>
internal sealed record MatrixNotification(IReadOnlyList<string> Pushkeys, Urgency Urgency, string? Topic)
{
    public static bool TryRead(byte[] body, out MatrixNotification notification)
    {
        notification = new MatrixNotification([], Urgency.Normal, null);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("notification", out var root)
                || root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("devices", out var devices)
                || devices.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            var urgency = Urgency.Normal;
            if (root.TryGetProperty("prio", out var prio) && prio.ValueKind == JsonValueKind.String)
            {
                urgency = prio.GetString() == "low" ? Urgency.Low : Urgency.High;
            }

            string? topic = null;
            if (root.TryGetProperty("event_id", out var eventId) && eventId.ValueKind == JsonValueKind.String && eventId.GetString() is { Length: > 0 } id)
            {
                topic = TopicOf(id);
            }

            var pushkeys = new List<string>();
            foreach (var device in devices.EnumerateArray())
            {
                if (device.ValueKind == JsonValueKind.Object && device.TryGetProperty("pushkey", out var key) && key.ValueKind == JsonValueKind.String)
                {
                    pushkeys.Add(key.GetString()!);
                }
            }

            notification = new MatrixNotification(pushkeys, urgency, topic);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>32 base64url characters (a topic's maximum) naming the event, the same on every retry.</summary>
    private static string TopicOf(string eventId) =>
        Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(eventId)).AsSpan(0, 24));
}
