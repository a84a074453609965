using System.Text.Json;
using Push.Grains.Messages;
using Push.Shared.Protocol;
using Push.Shared.Tokens;

namespace Push.ConnectFrontend.Protocol;

/// <summary>
/// Parses one text frame. Mirrors the reference's strictness: an unknown <c>messageType</c>,
/// a missing required field or a field of the wrong type is a parse error (the socket closes
/// with 1011 <c>Json</c>); unknown extra fields are ignored.
/// </summary>
internal static class ClientMessageParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static bool TryParse(ReadOnlyMemory<byte> utf8, out ClientMessage? message)
    {
        message = null;
        try
        {
            using var doc = JsonDocument.Parse(utf8, Options);
            message = Parse(doc.RootElement);
            return message is not null;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 surfaces as ArgumentException from some readers.
            return false;
        }
        catch (InvalidOperationException)
        {
            // The reader does not validate UTF-8 inside strings; reading such a string throws this.
            return false;
        }
    }

    private static ClientMessage? Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (!root.TryGetProperty("messageType", out var type))
        {
            // The bare `{}` is the WebPush-level ping.
            return root.EnumerateObject().Any() ? null : PingMessage.Instance;
        }

        if (type.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return type.GetString() switch
        {
            "hello" => ParseHello(root),
            "register" => ParseRegister(root),
            "unregister" => ParseUnregister(root),
            "broadcast_subscribe" => Dictionary(root, "broadcasts", required: true) is { } b ? new BroadcastSubscribeMessage(b) : null,
            "ack" => ParseAck(root),
            "nack" => ParseNack(root),
            "ping" => PingMessage.Instance,
            "urgency" => ParseUrgency(root),
            _ => null,
        };
    }

    private static HelloMessage? ParseHello(JsonElement root)
    {
        string? uaid = null;
        if (root.TryGetProperty("uaid", out var u))
        {
            if (u.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return null;
            }

            uaid = u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        }

        if (root.TryGetProperty("channelIDs", out var ids) && ids.ValueKind != JsonValueKind.Null)
        {
            // Parsed for validity, then ignored, as the reference does.
            if (ids.ValueKind != JsonValueKind.Array || ids.EnumerateArray().Any(e => !IsUuid(e)))
            {
                return null;
            }
        }

        var broadcasts = Dictionary(root, "broadcasts", required: false);
        return broadcasts is null ? null : new HelloMessage(uaid, broadcasts);
    }

    private static RegisterMessage? ParseRegister(JsonElement root)
    {
        if (!root.TryGetProperty("channelID", out var chid) || chid.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string? key = null;
        if (root.TryGetProperty("key", out var k))
        {
            if (k.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return null;
            }

            key = k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        }

        return new RegisterMessage(chid.GetString()!, key);
    }

    private static UnregisterMessage? ParseUnregister(JsonElement root)
    {
        if (!root.TryGetProperty("channelID", out var chid) || !TryUuid(chid, out var channelId))
        {
            return null;
        }

        long? code = null;
        if (root.TryGetProperty("code", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            if (!c.TryGetInt64(out var value) || value < 0)
            {
                return null;
            }

            code = value;
        }

        return new UnregisterMessage(channelId, code);
    }

    private static AckMessage? ParseAck(JsonElement root)
    {
        if (!root.TryGetProperty("updates", out var updates) || updates.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<AckUpdate>(updates.GetArrayLength());
        foreach (var item in updates.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("channelID", out var chid) || !TryUuid(chid, out var channelId)
                || !item.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            int? code = null;
            if (item.TryGetProperty("code", out var c) && c.ValueKind != JsonValueKind.Null)
            {
                if (!c.TryGetInt32(out var value) || value is < 0 or > ushort.MaxValue)
                {
                    return null;
                }

                code = value;
            }

            list.Add(new AckUpdate(channelId, version.GetString()!, code));
        }

        return new AckMessage(list);
    }

    private static NackMessage? ParseNack(JsonElement root)
    {
        if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        long? code = null;
        if (root.TryGetProperty("code", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            if (!c.TryGetInt32(out var value))
            {
                return null;
            }

            code = value;
        }

        return new NackMessage(version.GetString()!, code);
    }

    private static UrgencyMessage? ParseUrgency(JsonElement root)
    {
        if (!root.TryGetProperty("min", out var min) || min.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return new UrgencyMessage(UrgencyText.TryParse(min.GetString(), out var urgency) ? urgency : null);
    }

    private static Dictionary<string, string>? Dictionary(JsonElement root, string name, bool required)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? null : [];
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            result[property.Name] = property.Value.GetString()!;
        }

        return result;
    }

    private static bool IsUuid(JsonElement element) => TryUuid(element, out _);

    private static bool TryUuid(JsonElement element, out Guid value)
    {
        value = Guid.Empty;
        return element.ValueKind == JsonValueKind.String && ChannelIds.TryParseLenient(element.GetString(), out value);
    }
}
