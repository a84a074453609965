using System.Text.Json.Serialization;
using Push.Grains.Messages;

namespace Push.Grains.Storage;

/// <summary>
/// The stored form of a message. Short, stable JSON names: this is on-disk data that must survive
/// upgrades, so fields are only ever added, never renamed.
/// </summary>
internal sealed record StoredMessage(
    [property: JsonPropertyName("c")] Guid ChannelId,
    [property: JsonPropertyName("v")] string Version,
    [property: JsonPropertyName("ttl")] long Ttl,
    [property: JsonPropertyName("ts")] long Timestamp,
    [property: JsonPropertyName("tp")] string? Topic,
    [property: JsonPropertyName("sk")] long SortKey,
    [property: JsonPropertyName("d")] string? Data,
    [property: JsonPropertyName("he")] string? Encoding,
    [property: JsonPropertyName("hx")] string? Encryption,
    [property: JsonPropertyName("hc")] string? CryptoKey,
    [property: JsonPropertyName("u")] Urgency Urgency)
{
    public static StoredMessage From(Notification n) => new(
        n.ChannelId, n.Version, n.Ttl, n.Timestamp, n.Topic, n.SortKey, n.Data,
        n.Headers?.Encoding, n.Headers?.Encryption, n.Headers?.CryptoKey, n.Urgency);

    public Notification ToNotification() => new(
        ChannelId, Version, Ttl, Timestamp, Topic, SortKey, Data,
        Encoding is null && Encryption is null && CryptoKey is null ? null : new NotificationHeaders(Encoding, Encryption, CryptoKey),
        Urgency);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredMessage))]
internal sealed partial class StoredMessageJsonContext : JsonSerializerContext;
