using System.Text.Json;

namespace Push.LoadTool.Protocol;

/// <summary>The fields of a server message the tool looks at; absent fields are null.</summary>
public sealed record ServerMessage(
    string? MessageType,
    string? Uaid,
    int? Status,
    string? ChannelId,
    string? Version,
    string? Data,
    string? PushEndpoint)
{
    public static ServerMessage Parse(ReadOnlySpan<byte> utf8)
    {
        string? type = null, uaid = null, channel = null, version = null, data = null, endpoint = null;
        int? status = null;
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            // The WebPush ping reply is the bare text {} and has no type.
            return new ServerMessage(null, null, null, null, null, null, null);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            switch (name)
            {
                case "messageType": type = reader.GetString(); break;
                case "uaid": uaid = reader.GetString(); break;
                case "status": status = reader.GetInt32(); break;
                case "channelID": channel = reader.GetString(); break;
                case "version": version = reader.GetString(); break;
                case "data": data = reader.GetString(); break;
                case "pushEndpoint": endpoint = reader.GetString(); break;
                default: break;
            }
        }

        return new ServerMessage(type, uaid, status, channel, version, data, endpoint);
    }
}
