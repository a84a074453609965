using System.Text.Json.Serialization;

namespace Push.LoadTool.Protocol;

/// <summary>What a Mozilla Push client sends; names as on the wire.</summary>
public sealed record HelloMessage(
    [property: JsonPropertyName("uaid")] string? Uaid)
{
    [JsonPropertyName("messageType")]
    public string MessageType => "hello";

    [JsonPropertyName("use_webpush")]
    public bool UseWebPush => true;
}

public sealed record RegisterMessage(
    [property: JsonPropertyName("channelID")] string ChannelId)
{
    [JsonPropertyName("messageType")]
    public string MessageType => "register";
}

public sealed record AckUpdate(
    [property: JsonPropertyName("channelID")] string ChannelId,
    [property: JsonPropertyName("version")] string Version);

public sealed record AckMessage(
    [property: JsonPropertyName("updates")] IReadOnlyList<AckUpdate> Updates)
{
    [JsonPropertyName("messageType")]
    public string MessageType => "ack";
}

/// <summary>
/// Subscribing to a broadcast id the service does not know is answered at once from memory with an
/// error list: a round-trip marker that touches no storage (the WebPush ping is limited to one per 45 s).
/// </summary>
public sealed record BroadcastSubscribeMessage(
    [property: JsonPropertyName("broadcasts")] IReadOnlyDictionary<string, string> Broadcasts)
{
    [JsonPropertyName("messageType")]
    public string MessageType => "broadcast_subscribe";
}
