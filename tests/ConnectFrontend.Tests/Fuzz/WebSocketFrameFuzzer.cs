using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace Push.ConnectFrontend.Tests.Fuzz;

/// <summary>What the fuzzer did with one generated item, for the report and the close check.</summary>
internal enum FuzzKind
{
    Benign,
    MutatedJson,
    InvalidUtf8,
    Binary,
    Oversized,
    BadHeader,
    Close,
    RandomBytes,
    Truncated,
}

/// <summary>
/// One generated item: the frames to write (already encoded, possibly malformed), how many frames that
/// is, and whether the stream must be ended after it (a truncated frame can only end by end of stream).
/// </summary>
internal sealed record FuzzItem(FuzzKind Kind, byte[] Bytes, int Frames, bool EndsStream = false, ushort? CloseCodeSent = null);

/// <summary>
/// Generates WebSocket client frames from a seeded <see cref="Random"/>: valid protocol messages,
/// mutations of them, and frames that break RFC 6455 in every way the server's parser must refuse.
/// </summary>
internal sealed class WebSocketFrameFuzzer(int seed, IReadOnlyList<Guid> channels)
{
    private const byte Continuation = 0x0, Text = 0x1, BinaryOp = 0x2, CloseOp = 0x8, Ping = 0x9, Pong = 0xA;
    private const int MaxMessage = 64 * 1024;
    private static readonly string[] MessageTypes = ["hello", "register", "unregister", "ack", "nack", "ping", "broadcast_subscribe", "urgency"];
    private const string NestMarker = "nest-here", QuotedNestMarker = "\"nest-here\"";
    private readonly Random _random = new(seed);

    public FuzzItem Hello(string? uaid) =>
        new(FuzzKind.Benign, Frame(Text, Encoding.UTF8.GetBytes(new JsonObject { ["messageType"] = "hello", ["uaid"] = uaid, ["use_webpush"] = true }.ToJsonString())), 1);

    /// <summary>A WebSocket ping carrying <paramref name="marker"/>, used as a barrier: its pong means every earlier frame was read.</summary>
    public static byte[] Barrier(ulong marker)
    {
        // A tag no random ping payload is likely to start with, then the marker.
        var payload = new byte[12];
        "BARR"u8.CopyTo(payload);
        BinaryPrimitives.WriteUInt64BigEndian(payload.AsSpan(4), marker);
        return Encode(Ping, payload, fin: true, mask: [1, 2, 3, 4]);
    }

    public FuzzItem Next()
    {
        var roll = _random.Next(100);
        return roll switch
        {
            < 30 => Benign(),
            < 58 => MutatedJson(),
            < 63 => InvalidUtf8(),
            < 67 => new FuzzItem(FuzzKind.Binary, Frame(BinaryOp, Bytes(_random.Next(0, 200))), 1),
            < 70 => Oversized(),
            < 84 => BadHeader(),
            < 88 => Close(),
            < 95 => new FuzzItem(FuzzKind.RandomBytes, Bytes(_random.Next(1, 64)), 1),
            _ => Truncated(),
        };
    }

    /// <summary>A burst of frames the server must take without closing.</summary>
    private FuzzItem Benign()
    {
        var bytes = new List<byte>();
        var frames = 0;
        for (var i = _random.Next(1, 9); i > 0; i--)
        {
            var one = BenignOne();
            bytes.AddRange(one.Bytes);
            frames += one.Frames;
        }

        return new FuzzItem(FuzzKind.Benign, [.. bytes], frames);
    }

    private FuzzItem BenignOne()
    {
        switch (_random.Next(7))
        {
            case 0:
                return new FuzzItem(FuzzKind.Benign, Frame(Ping, Bytes(_random.Next(0, 126))), 1);
            case 1:
                return new FuzzItem(FuzzKind.Benign, Frame(Pong, Bytes(_random.Next(0, 126))), 1);
            case 2:
            {
                // A valid message split in fragments with a ping between them.
                var text = Encoding.UTF8.GetBytes(ValidMessage().ToJsonString());
                var cut = _random.Next(1, text.Length);
                var bytes = Frame(Text, text[..cut], fin: false).Concat(Frame(Ping, Bytes(4))).Concat(Frame(Continuation, text[cut..])).ToArray();
                return new FuzzItem(FuzzKind.Benign, bytes, 3);
            }

            default:
                return new FuzzItem(FuzzKind.Benign, Frame(Text, Encoding.UTF8.GetBytes(ValidMessage().ToJsonString())), 1);
        }
    }

    /// <summary>Messages the protocol accepts after hello without closing (pings excluded: two in a row close).</summary>
    private JsonObject ValidMessage() => _random.Next(5) switch
    {
        0 => new JsonObject
        {
            ["messageType"] = "ack",
            ["updates"] = new JsonArray(new JsonObject { ["channelID"] = Channel().ToString(), ["version"] = RandomText(_random.Next(1, 200)), ["code"] = 100 }),
        },
        1 => new JsonObject { ["messageType"] = "nack", ["version"] = RandomText(40), ["code"] = 302 },
        2 => new JsonObject { ["messageType"] = "broadcast_subscribe", ["broadcasts"] = new JsonObject { [RandomText(8)] = "v1" } },
        3 => new JsonObject { ["messageType"] = "unregister", ["channelID"] = Channel().ToString(), ["code"] = 200 },
        _ => new JsonObject { ["messageType"] = "register", ["channelID"] = Channel().ToString(), ["extra"] = RandomText(10) },
    };

    private JsonObject TemplateMessage()
    {
        var type = MessageTypes[_random.Next(MessageTypes.Length)];
        return type switch
        {
            "hello" => new JsonObject
            {
                ["messageType"] = type,
                ["uaid"] = Guid.NewGuid().ToString(_random.Next(2) == 0 ? "N" : "D"),
                ["channelIDs"] = new JsonArray(Channel().ToString()),
                ["use_webpush"] = true,
                ["broadcasts"] = new JsonObject { ["remote-settings/monitor_changes"] = "v1" },
            },
            "register" => new JsonObject { ["messageType"] = type, ["channelID"] = Channel().ToString(), ["key"] = RandomText(87) },
            "urgency" => new JsonObject { ["messageType"] = type, ["min"] = "low" },
            "ping" => new JsonObject { ["messageType"] = type },
            _ => ValidMessageOfType(type),
        };
    }

    private JsonObject ValidMessageOfType(string type)
    {
        while (true)
        {
            var message = ValidMessage();
            if ((string?)message["messageType"] == type)
            {
                return message;
            }
        }
    }

    private FuzzItem MutatedJson()
    {
        var message = TemplateMessage();
        var mutations = _random.Next(1, 4);
        for (var i = 0; i < mutations; i++)
        {
            Mutate(message);
        }

        var text = message.ToJsonString();
        while (text.Contains(QuotedNestMarker, StringComparison.Ordinal))
        {
            var at = text.IndexOf(QuotedNestMarker, StringComparison.Ordinal);
            text = string.Concat(text.AsSpan(0, at), Nested(_random.Next(2, 5_000)), text.AsSpan(at + QuotedNestMarker.Length));
        }

        if (_random.Next(6) == 0)
        {
            text = MutateText(text);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > MaxMessage)
        {
            bytes = bytes[..MaxMessage];
        }

        return new FuzzItem(FuzzKind.MutatedJson, Frame(Text, bytes), 1);
    }

    private void Mutate(JsonNode node)
    {
        // Walk down to a random object or array, then change one of its members.
        while (true)
        {
            var children = node switch
            {
                JsonObject o => o.Select(kv => kv.Value).Where(v => v is JsonObject or JsonArray).ToList(),
                JsonArray a => a.Where(v => v is JsonObject or JsonArray).ToList(),
                _ => [],
            };
            if (children.Count == 0 || _random.Next(3) == 0)
            {
                break;
            }

            node = children[_random.Next(children.Count)]!;
        }

        if (node is JsonArray array)
        {
            if (array.Count > 0 && _random.Next(2) == 0)
            {
                array[_random.Next(array.Count)] = Weird();
            }
            else
            {
                array.Add(Weird());
            }

            return;
        }

        var obj = (JsonObject)node;
        var names = obj.Select(kv => kv.Key).ToList();
        if (names.Count == 0)
        {
            obj[RandomText(5)] = Weird();
            return;
        }

        var name = names[_random.Next(names.Count)];
        switch (_random.Next(5))
        {
            case 0:
                obj.Remove(name);
                break;
            case 1:
            {
                var value = obj[name];
                obj.Remove(name);
                obj[_random.Next(2) == 0 ? name.ToUpperInvariant() : name + RandomText(1)] = value?.DeepClone();
                break;
            }

            case 2 when name == "messageType":
                obj[name] = MessageTypes[_random.Next(MessageTypes.Length)].ToUpperInvariant();
                break;
            default:
                obj[name] = Weird();
                break;
        }
    }

    /// <summary>A value of a surprising type or size.</summary>
    private JsonNode? Weird() => _random.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(_random.Next(2) == 0 ? double.MaxValue : -1.0),
        2 => JsonNode.Parse("123456789012345678901234567890123456789"),
        3 => JsonValue.Create(ulong.MaxValue),
        4 => JsonValue.Create(new string('x', _random.Next(1_000, 60_000))),
        5 => JsonValue.Create(NestMarker),
        6 => JsonValue.Create(_random.Next(2) == 0),
        7 => new JsonArray(),
        8 => new JsonObject(),
        9 => JsonValue.Create(RandomText(_random.Next(0, 50))),
        10 => JsonValue.Create("\u0000\ud800\uffff"),
        _ => JsonValue.Create(-0.0),
    };

    // Deeper than any JSON DOM here may hold, so it is spliced into the text after serialising.
    private string Nested(int depth) => _random.Next(2) == 0
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "null" + new string('}', depth);

    private string MutateText(string text)
    {
        var chars = text.ToCharArray().ToList();
        switch (_random.Next(4))
        {
            case 0:
                return text[.._random.Next(text.Length)];
            case 1:
                chars[_random.Next(chars.Count)] = (char)_random.Next(32, 127);
                return new string([.. chars]);
            case 2:
                chars.Insert(_random.Next(chars.Count), "{}[],:\"\\"[_random.Next(8)]);
                return new string([.. chars]);
            default:
                return new string('{', _random.Next(1, 3000)) + text;
        }
    }

    private FuzzItem InvalidUtf8()
    {
        byte[][] bad = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF0, 0x28, 0x8C, 0x28], [0xC0, 0xAF], [0xE2, 0x82]];
        var text = Encoding.UTF8.GetBytes(ValidMessage().ToJsonString()).ToList();
        text.InsertRange(_random.Next(text.Count), bad[_random.Next(bad.Length)]);
        return new FuzzItem(FuzzKind.InvalidUtf8, Frame(Text, [.. text]), 1);
    }

    private FuzzItem Oversized()
    {
        switch (_random.Next(4))
        {
            case 0:
            {
                // Really sent: one byte over the limit.
                var payload = Encoding.UTF8.GetBytes("{\"messageType\":\"nack\",\"version\":\"" + new string('a', MaxMessage) + "\"}");
                return new FuzzItem(FuzzKind.Oversized, Frame(Text, payload), 1);
            }

            case 1:
            {
                // Fragments that only together pass the limit.
                var half = Bytes(MaxMessage / 2 + 10, printable: true);
                var bytes = Frame(Text, half, fin: false).Concat(Frame(Continuation, half)).ToArray();
                return new FuzzItem(FuzzKind.Oversized, bytes, 2);
            }

            default:
            {
                // Only the header claims it; the server must refuse before reading the payload.
                var claimed = _random.Next(2) == 0 ? (ulong)MaxMessage + 1 : (ulong)_random.NextInt64(MaxMessage + 1, long.MaxValue);
                return new FuzzItem(FuzzKind.Oversized, Header(0x80 | Text, claimed, masked: true), 1);
            }
        }
    }

    private FuzzItem BadHeader()
    {
        switch (_random.Next(10))
        {
            case 0:
            {
                var frame = Frame(Text, Encoding.UTF8.GetBytes("{}"));
                frame[0] |= (byte)(0x10 << _random.Next(3));
                return new FuzzItem(FuzzKind.BadHeader, frame, 1);
            }

            case 1:
                return new FuzzItem(FuzzKind.BadHeader, Frame(Text, Encoding.UTF8.GetBytes(ValidMessage().ToJsonString()), masked: false), 1);
            case 2:
                return new FuzzItem(FuzzKind.BadHeader, Frame(_random.Next(2) == 0 ? Ping : CloseOp, Bytes(4), fin: false), 1);
            case 3:
            {
                byte[] reserved = [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF];
                return new FuzzItem(FuzzKind.BadHeader, Frame(reserved[_random.Next(reserved.Length)], Bytes(3)), 1);
            }

            case 4:
                // A control frame longer than 125 bytes.
                return new FuzzItem(FuzzKind.BadHeader, Frame(Ping, Bytes(126 + _random.Next(200))), 1);
            case 5:
                return new FuzzItem(FuzzKind.BadHeader, Frame(Continuation, Bytes(5)), 1);
            case 6:
            {
                // A new message inside a fragmented one.
                var bytes = Frame(Text, Encoding.UTF8.GetBytes("{\"messa"), fin: false).Concat(Frame(Text, Encoding.UTF8.GetBytes("{}"))).ToArray();
                return new FuzzItem(FuzzKind.BadHeader, bytes, 2);
            }

            case 7:
            {
                // 64-bit length with the most significant bit set (RFC 6455 §5.2 forbids it).
                var length = 0x8000_0000_0000_0000UL | (ulong)_random.NextInt64();
                return new FuzzItem(FuzzKind.BadHeader, Header(0x80 | Text, length, masked: true), 1);
            }

            case 8:
            {
                // A fragment, then a continuation whose 64-bit length is near the top of the range.
                var start = Frame(Text, Encoding.UTF8.GetBytes("{\"messageType\":"), fin: false);
                var length = _random.Next(2) == 0 ? long.MaxValue : (ulong)_random.NextInt64(long.MaxValue - 100_000, long.MaxValue);
                return new FuzzItem(FuzzKind.BadHeader, [.. start, .. Header(0x80 | Continuation, (ulong)length, masked: true)], 2);
            }

            default:
            {
                // A small payload announced with a needlessly long length form.
                var payload = Encoding.UTF8.GetBytes("{\"messageType\":\"nack\",\"version\":\"x\"}");
                var header = Header(0x80 | Text, (ulong)payload.Length, masked: true, forceLong: true);
                return new FuzzItem(FuzzKind.BadHeader, [.. header, .. payload], 1);
            }
        }
    }

    private FuzzItem Close()
    {
        switch (_random.Next(5))
        {
            case 0:
                return new FuzzItem(FuzzKind.Close, Frame(CloseOp, []), 1, CloseCodeSent: 1000);
            case 1:
                return new FuzzItem(FuzzKind.Close, Frame(CloseOp, [0x03]), 1);
            case 2:
            {
                var code = (ushort)_random.Next(0, 5000);
                return new FuzzItem(FuzzKind.Close, Frame(CloseOp, [.. CloseCode(code), 0xFF, 0xFE]), 1);
            }

            default:
            {
                ushort[] codes = [1000, 1001, 1002, 1003, 1007, 1008, 1011, 3000, 4000, 4999, (ushort)_random.Next(0, 65536)];
                var code = codes[_random.Next(codes.Length)];
                var reason = Encoding.UTF8.GetBytes(RandomText(_random.Next(0, 120)));
                return new FuzzItem(FuzzKind.Close, Frame(CloseOp, [.. CloseCode(code), .. reason]), 1, CloseCodeSent: code);
            }
        }
    }

    private FuzzItem Truncated()
    {
        var frame = Frame(Text, Encoding.UTF8.GetBytes(ValidMessage().ToJsonString()));
        if (_random.Next(2) == 0)
        {
            // A length that promises more than will ever come.
            return new FuzzItem(FuzzKind.Truncated, [.. Header(0x80 | Text, (ulong)_random.Next(200, MaxMessage), masked: true), .. Bytes(_random.Next(0, 100))], 1, EndsStream: true);
        }

        return new FuzzItem(FuzzKind.Truncated, frame[.._random.Next(1, frame.Length)], 1, EndsStream: true);
    }

    private static byte[] CloseCode(ushort code)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, code);
        return bytes;
    }

    private Guid Channel() => channels[_random.Next(channels.Count)];

    private string RandomText(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+/:. \"\\é€😀";
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[_random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }

    private byte[] Bytes(int count, bool printable = false)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        if (printable)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)('a' + (bytes[i] % 26));
            }
        }

        return bytes;
    }

    private byte[] Frame(byte opcode, byte[] payload, bool fin = true, bool masked = true) =>
        Encode(opcode, payload, fin, masked ? Bytes(4) : null);

    private static byte[] Encode(byte opcode, byte[] payload, bool fin, byte[]? mask)
    {
        var header = Header((byte)((fin ? 0x80 : 0) | opcode), (ulong)payload.Length, mask is not null, maskKey: mask);
        var body = (byte[])payload.Clone();
        if (mask is not null)
        {
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= mask[i & 3];
            }
        }

        return [.. header, .. body];
    }

    private static byte[] Header(int first, ulong length, bool masked, bool forceLong = false, byte[]? maskKey = null)
    {
        var header = new List<byte> { (byte)first };
        var maskBit = masked ? 0x80 : 0;
        if (length < 126 && !forceLong)
        {
            header.Add((byte)(maskBit | (int)length));
        }
        else if (length <= ushort.MaxValue && !forceLong)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(length >> 8));
            header.Add((byte)length);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            var ext = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(ext, length);
            header.AddRange(ext);
        }

        if (masked)
        {
            header.AddRange(maskKey ?? [9, 8, 7, 6]);
        }

        return [.. header];
    }
}
