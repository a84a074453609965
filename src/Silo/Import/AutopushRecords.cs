using System.Text.Json;
using System.Text.Json.Serialization;

namespace Push.Silo.Import;

/// <summary>The fields of autopush's user record (<c>autopush/user/{uaid}</c>) that the import reads.</summary>
internal sealed record AutopushUserRecord(
    [property: JsonPropertyName("uaid")] string? Uaid,
    [property: JsonPropertyName("router_type")] string? RouterType,
    [property: JsonPropertyName("connected_at")] ulong? ConnectedAt,
    [property: JsonPropertyName("current_timestamp")] ulong? CurrentTimestamp);

/// <summary>autopush's stored message (<c>StorableNotification</c>): the body of <c>autopush/msg/{uaid}/{id}</c>.</summary>
internal sealed record AutopushMessageRecord(
    [property: JsonPropertyName("channelID")] Guid? ChannelId,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("timestamp")] ulong? Timestamp,
    [property: JsonPropertyName("ttl")] ulong? Ttl,
    [property: JsonPropertyName("topic")] string? Topic,
    [property: JsonPropertyName("data")] string? Data,
    [property: JsonPropertyName("sortkey_timestamp")] ulong? SortKeyTimestamp,
    [property: JsonPropertyName("headers")] Dictionary<string, string>? Headers);

[JsonSerializable(typeof(AutopushUserRecord))]
[JsonSerializable(typeof(AutopushMessageRecord))]
internal sealed partial class AutopushJsonContext : JsonSerializerContext
{
    /// <summary>The record, or null when the text is not one.</summary>
    public static T? Parse<T>(string? json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
