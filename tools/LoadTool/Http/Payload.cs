using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics;

namespace Push.LoadTool.Http;

/// <summary>
/// Bodies shaped like aes128gcm records (random bytes, so nothing compresses), optionally with the
/// sender's clock reading in the first 8 bytes so a client can measure delivery latency.
/// </summary>
public static class Payload
{
    public static byte[] Random(int size)
    {
        var body = new byte[size];
        System.Random.Shared.NextBytes(body);
        return body;
    }

    /// <summary>A fresh body carrying the current <see cref="Stopwatch"/> timestamp.</summary>
    public static byte[] Stamped(byte[] template) => Tagged(template, Stopwatch.GetTimestamp());

    /// <summary>A fresh body carrying <paramref name="tag"/> (a timestamp, or a push's number) in its first 8 bytes.</summary>
    public static byte[] Tagged(byte[] template, long tag)
    {
        var body = (byte[])template.Clone();
        BinaryPrimitives.WriteInt64LittleEndian(body, tag);
        return body;
    }

    /// <summary>
    /// The timestamp (or tag) of a stamped body from the notification's base64url <c>data</c>: its first
    /// 12 characters are exactly the first 9 bytes.
    /// </summary>
    public static bool TryReadStamp(string? data, out long timestamp)
    {
        timestamp = 0;
        if (data is null || data.Length < 12)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[9];
        if (Base64Url.DecodeFromChars(data.AsSpan(0, 12), head, out _, out var written) != System.Buffers.OperationStatus.Done || written < 8)
        {
            return false;
        }

        timestamp = BinaryPrimitives.ReadInt64LittleEndian(head);
        return true;
    }
}
