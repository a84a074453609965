using System.Buffers;
using System.Text.Json;
using Push.Grains.Messages;
using Push.Shared.Tokens;

namespace Push.ConnectFrontend.Protocol;

/// <summary>Writes server messages; <c>messageType</c> is always the first key.</summary>
internal static class ServerMessages
{
    /// <summary>The WebPush-level ping reply is the literal <c>{}</c>.</summary>
    public static readonly ServerMessage PingReply = ServerMessage.Constant("{}"u8.ToArray());

    public static ServerMessage Hello(Guid uaid, IReadOnlyDictionary<string, string> broadcasts, IReadOnlyDictionary<string, string> broadcastErrors) =>
        Write(w =>
        {
            w.WriteString("messageType", "hello");
            w.WriteString("uaid", Uaid.Format(uaid));
            w.WriteNumber("status", 200);
            w.WriteBoolean("use_webpush", true);
            WriteBroadcasts(w, broadcasts, broadcastErrors);
        });

    public static ServerMessage Register(string channelId, int status, string pushEndpoint) =>
        Write(w =>
        {
            w.WriteString("messageType", "register");
            w.WriteString("channelID", channelId);
            w.WriteNumber("status", status);
            w.WriteString("pushEndpoint", pushEndpoint);
        });

    public static ServerMessage Unregister(Guid channelId, int status) =>
        Write(w =>
        {
            w.WriteString("messageType", "unregister");
            w.WriteString("channelID", ChannelIds.Format(channelId));
            w.WriteNumber("status", status);
        });

    public static ServerMessage Broadcast(IReadOnlyDictionary<string, string> broadcasts, IReadOnlyDictionary<string, string> errors) =>
        Write(w =>
        {
            w.WriteString("messageType", "broadcast");
            WriteBroadcasts(w, broadcasts, errors);
        });

    public static ServerMessage Urgency(int status) =>
        Write(w =>
        {
            w.WriteString("messageType", "urgency");
            w.WriteNumber("status", status);
        });

    public static ServerMessage Notification(Notification n) =>
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

    private static ServerMessage Write(Action<Utf8JsonWriter> body)
    {
        // One buffer and writer per thread, reused: the writer reserves three bytes per character of
        // a string before it writes it, so a fresh small buffer grew several times for every
        // notification. The message itself is copied into a pooled array, returned once it is sent.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
        writer.Flush();
        var message = ServerMessage.CopyOf(buffer.WrittenSpan);
        if (buffer.Capacity > MaxKeptBuffer)
        {
            // A rare large message (a long broadcast list) does not pin its buffer on the thread.
            t_buffer = null;
            t_writer = null;
        }

        return message;
    }

    private const int MaxKeptBuffer = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;
}
