using System.Buffers;
using System.Diagnostics;
using System.Text;
using Push.ConnectFrontend.Tests.Fuzz;
using Push.ConnectFrontend.WebSockets;

namespace Push.ConnectFrontend.Tests.WebSockets;

/// <summary>The frame reader on bytes in memory: no socket, no host.</summary>
public sealed class WebSocketFrameReaderTests
{
    private const int MaxMessage = 64 * 1024;

    [Fact]
    public void TryRead_MaskedText_IsTheUnmaskedMessage()
    {
        var (result, left) = ReadOne(Frame(0x1, "hello"u8.ToArray()));

        Assert.Equal(ReceivedKind.Text, result.Kind);
        Assert.Equal("hello", Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal(0, left);
    }

    [Fact]
    public void TryRead_HalfAFrame_WaitsForMore()
    {
        var frame = Frame(0x1, "hello"u8.ToArray());
        var reader = new WebSocketFrameReader(MaxMessage);
        var buffer = new ReadOnlySequence<byte>(frame, 0, frame.Length - 2);

        Assert.False(reader.TryRead(ref buffer, out _, out _));
        Assert.Equal(frame.Length - 2, buffer.Length);
    }

    [Fact]
    public void TryRead_Unmasked_IsAProtocolError() =>
        Assert.Equal(ReceivedKind.ProtocolError, ReadOne(Frame(0x1, [1], mask: false)).Result.Kind);

    [Theory]
    [InlineData(0x3)]
    [InlineData(0x7)]
    [InlineData(0xB)]
    public void TryRead_ReservedOpcode_IsAProtocolError(byte opcode) =>
        Assert.Equal(ReceivedKind.ProtocolError, ReadOne(Frame(opcode, [1])).Result.Kind);

    [Fact]
    public void TryRead_ReservedBit_IsAProtocolError()
    {
        var frame = Frame(0x1, [1]);
        frame[0] |= 0x40;

        Assert.Equal(ReceivedKind.ProtocolError, ReadOne(frame).Result.Kind);
    }

    [Fact]
    public void TryRead_MessageOverTheLimit_IsAProtocolErrorBeforeItsPayloadArrives()
    {
        var header = Frame(0x1, new byte[MaxMessage + 1]).AsSpan(0, 14).ToArray();

        Assert.Equal(ReceivedKind.ProtocolError, ReadOne(header).Result.Kind);
    }

    [Fact]
    public void TryRead_FragmentsAroundAPing_AreReassembledAndThePingCollected()
    {
        byte[] bytes = [.. Frame(0x1, "{\"a\":"u8.ToArray(), fin: false), .. Frame(0x9, [7]), .. Frame(0x0, "1}"u8.ToArray())];
        var reader = new WebSocketFrameReader(MaxMessage);
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.True(reader.TryRead(ref buffer, out var result, out var pings));

        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Equal([7], Assert.Single(pings!).ToArray());
    }

    [Fact]
    public void TryRead_ContinuationWithoutAStart_IsAProtocolError() =>
        Assert.Equal(ReceivedKind.ProtocolError, ReadOne(Frame(0x0, [1])).Result.Kind);

    [Fact]
    public void TryRead_Pong_IsCounted()
    {
        var reader = new WebSocketFrameReader(MaxMessage);
        var buffer = new ReadOnlySequence<byte>([.. Frame(0xA, []), .. Frame(0xA, [1])]);

        Assert.False(reader.TryRead(ref buffer, out _, out _));

        Assert.Equal(2, reader.PongCount);
    }

    [Theory]
    [InlineData(1000, true)]
    [InlineData(4000, true)]
    [InlineData(1005, false)]
    [InlineData(999, false)]
    [InlineData(5000, false)]
    public void TryRead_CloseCode_IsEchoableOnlyWhenAllowedOnTheWire(int code, bool allowed)
    {
        var expected = allowed ? ReceivedKind.Close : ReceivedKind.ProtocolError;
        var (result, _) = ReadOne(Frame(0x8, [(byte)(code >> 8), (byte)code, .. "bye"u8]));

        Assert.Equal(expected, result.Kind);
        if (expected == ReceivedKind.Close)
        {
            Assert.Equal((ushort)code, result.CloseCode);
            Assert.Equal("bye", result.CloseReason);
        }
    }

    [Fact]
    public void TryRead_FuzzerFrames_EveryResultIsWellFormedAndNothingThrows()
    {
        // Items are sessions of up to 50 frames here.
        var run = FuzzRun.FromEnvironment(seed: 4242, items: 300, budget: TimeSpan.FromSeconds(30));
        var fuzzer = new WebSocketFrameFuzzer(run.Seed, [Guid.NewGuid(), Guid.NewGuid()]);
        var kinds = new Dictionary<ReceivedKind, int>();
        var clock = Stopwatch.StartNew();
        for (var session = 0; session < run.Items && clock.Elapsed < run.Budget; session++)
        {
            var reader = new WebSocketFrameReader(MaxMessage);
            for (var item = 0; item < 50; item++)
            {
                var bytes = fuzzer.Next().Bytes;
                var buffer = new ReadOnlySequence<byte>(bytes);
                var ended = false;
                while (reader.TryRead(ref buffer, out var result, out _))
                {
                    kinds[result.Kind] = kinds.GetValueOrDefault(result.Kind) + 1;
                    Assert.True(result.Payload.Length <= MaxMessage);
                    if (result.Kind is ReceivedKind.ProtocolError or ReceivedKind.Close or ReceivedKind.Binary)
                    {
                        ended = true;
                        break;
                    }
                }

                if (ended)
                {
                    break;
                }
            }
        }

        // The fuzzer reaches every outcome the reader has, so the run above exercised them all.
        Assert.True(kinds.GetValueOrDefault(ReceivedKind.Text) > 0);
        Assert.True(kinds.GetValueOrDefault(ReceivedKind.ProtocolError) > 0);
        Assert.True(kinds.GetValueOrDefault(ReceivedKind.Close) > 0);
    }

    private static (Received Result, long Left) ReadOne(byte[] bytes)
    {
        var reader = new WebSocketFrameReader(MaxMessage);
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(reader.TryRead(ref buffer, out var result, out _));
        return (result, buffer.Length);
    }

    private static byte[] Frame(byte opcode, byte[] payload, bool fin = true, bool mask = true)
    {
        byte[] key = [0x11, 0x22, 0x33, 0x44];
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        var maskBit = mask ? 0x80 : 0;
        if (payload.Length < 126)
        {
            header.Add((byte)(maskBit | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.AddRange([(byte)(maskBit | 126), (byte)(payload.Length >> 8), (byte)payload.Length]);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            header.AddRange(BitConverter.GetBytes((ulong)payload.Length).Reverse());
        }

        if (!mask)
        {
            return [.. header, .. payload];
        }

        var masked = payload.Select((b, i) => (byte)(b ^ key[i & 3])).ToArray();
        return [.. header, .. key, .. masked];
    }
}
