using System.Buffers;
using System.Text.Json;
using Push.Grains.Messages;
using Push.Shared.Tokens;

namespace Push.ConnectFrontend.Protocol;

/// <summary>Writes server messages; <c>messageType</c> is always the first key.</summary>
internal static class ServerMessages
{
    /// <summary>The WebPush-level ping reply is the literal <c>{}</c>.</summary>
    public static readonly ReadOnlyMemory<byte> PingReply = "{}"u8.ToArray();

    public static ReadOnlyMemory<byte> Hello(Guid uaid, IReadOnlyDictionary<string, string> broadcasts, IReadOnlyDictionary<string, string> broadcastErrors) =>
        Write(w =>
        {
            w.WriteString("messageType", "hello");
            w.WriteString("uaid", Uaid.Format(uaid));
            w.WriteNumber("status", 200);
            w.WriteBoolean("use_webpush", true);
            WriteBroadcasts(w, broadcasts, broadcastErrors);
        });

    public static ReadOnlyMemory<byte> Register(string channelId, int status, string pushEndpoint) =>
        Write(w =>
        {
            w.WriteString("messageType", "register");
            w.WriteString("channelID", channelId);
            w.WriteNumber("status", status);
            w.WriteString("pushEndpoint", pushEndpoint);
        });

    public static ReadOnlyMemory<byte> Unregister(Guid channelId, int status) =>
        Write(w =>
        {
            w.WriteString("messageType", "unregister");
            w.WriteString("channelID", ChannelIds.Format(channelId));
            w.WriteNumber("status", status);
        });

    public static ReadOnlyMemory<byte> Broadcast(IReadOnlyDictionary<string, string> broadcasts, IReadOnlyDictionary<string, string> errors) =>
        Write(w =>
        {
            w.WriteString("messageType", "broadcast");
            WriteBroadcasts(w, broadcasts, errors);
        });

    public static ReadOnlyMemory<byte> Urgency(int status) =>
        Write(w =>
        {
            w.WriteString("messageType", "urgency");
            w.WriteNumber("status", status);
        });

    public static ReadOnlyMemory<byte> Notification(Notification n) =>
        Write(w =>
        {
            w.WriteString("messageType", "notification");
            w.WriteString("channelID", ChannelIds.Format(n.ChannelId));
            w.WriteString("version", n.Version);
            if (n.Data is { } data)
            {
                w.WriteString("data", data);
                if (n.Headers is { } headers)
                {
                    w.WriteStartObject("headers");
                    WriteOptional(w, "encoding", headers.Encoding);
                    WriteOptional(w, "encryption", headers.Encryption);
                    WriteOptional(w, "crypto_key", headers.CryptoKey);
                    w.WriteEndObject();
                }
            }
        });

    private static void WriteBroadcasts(Utf8JsonWriter w, IReadOnlyDictionary<string, string> broadcasts, IReadOnlyDictionary<string, string> errors)
    {
        w.WriteStartObject("broadcasts");
        foreach (var (id, version) in broadcasts)
        {
            w.WriteString(id, version);
        }

        if (errors.Count > 0)
        {
            w.WriteStartObject("errors");
            foreach (var (id, error) in errors)
            {
                w.WriteString(id, error);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
