using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Push.LoadTool.Measure;

/// <summary>
/// What the Redis-protocol store did during a phase: its <c>INFO all</c> counters before and after
/// (commands, bytes in and out, calls of each command), so a figure can be
/// given per message. Read over a plain connection, without authentication (a loopback test store).
/// </summary>
public sealed class StoreInfo(string? host, int port)
{
    /// <summary>
    /// Counters of <c>INFO</c> whose growth is reported. Not the append-only file's size: a rewrite
    /// (which Redis starts by itself as the file grows) shrinks it in the middle of a window.
    /// </summary>
    public static readonly string[] Counters = ["total_commands_processed", "total_net_input_bytes", "total_net_output_bytes"];

    private IReadOnlyDictionary<string, string>? _start;

    public bool Enabled => host is not null;

    /// <summary>From <c>--store-info HOST:PORT</c> (loopback only), or disabled.</summary>
    public static StoreInfo From(string? text)
    {
        if (text is null)
        {
            return new StoreInfo(null, 0);
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"--store-info must be HOST:PORT, not \"{text}\"");
        }

        var name = text[..colon];
        if (name != "localhost" && !(System.Net.IPAddress.TryParse(name.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip)))
        {
            throw new ArgumentException($"--store-info {name} is not a loopback address");
        }

        return new StoreInfo(name, port);
    }

    public async Task StartAsync(CancellationToken cancel) => _start = await ReadFieldsAsync(cancel);

    /// <summary>Growth of each counter, and calls of each command, since <see cref="StartAsync"/>.</summary>
    public async Task<IReadOnlyDictionary<string, long>?> StopAsync(CancellationToken cancel) =>
        _start is null ? null : Growth(_start, Parse(await ReadAsync(cancel)));

    /// <summary>Every field of <c>INFO all</c> now, or null when no store was given.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> ReadFieldsAsync(CancellationToken cancel) =>
        host is null ? null : Parse(await ReadAsync(cancel));

    /// <summary>A whole-number field of an INFO answer, or null.</summary>
    public static long? Field(IReadOnlyDictionary<string, string>? fields, string name) => Number(fields?.GetValueOrDefault(name));

    /// <summary>The <c>field:value</c> lines of an INFO answer.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string info)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith('#'))
            {
                fields[line[..colon]] = line[(colon + 1)..];
            }
        }

        return fields;
    }

    /// <summary>
    /// The counters' growth, and for each command (<c>cmdstat_NAME:calls=N,...</c>) its calls as
    /// <c>calls_NAME</c>; counters missing at either end are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, long> Growth(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var growth = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var counter in Counters)
        {
            if (Number(before.GetValueOrDefault(counter)) is { } b && Number(after.GetValueOrDefault(counter)) is { } a)
            {
                growth[counter] = a - b;
            }
        }

        foreach (var (field, value) in after)
        {
            if (field.StartsWith("cmdstat_", StringComparison.Ordinal) && Calls(value) is { } a)
            {
                var calls = a - (Calls(before.GetValueOrDefault(field)) ?? 0);
                if (calls > 0)
                {
                    growth["calls_" + field["cmdstat_".Length..]] = calls;
                }
            }
        }

        return growth;
    }

    private static long? Number(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static long? Calls(string? stat) =>
        stat?.Split(',').FirstOrDefault(p => p.StartsWith("calls=", StringComparison.Ordinal)) is { } calls ? Number(calls["calls=".Length..]) : null;

    private async Task<string> ReadAsync(CancellationToken cancel)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host!, port, cancel);
        var stream = client.GetStream();
        await stream.WriteAsync("INFO all\r\n"u8.ToArray(), cancel);

        // A bulk string: "$<length>\r\n<payload>\r\n".
        var received = new MemoryStream();
        var buffer = new byte[16384];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancel);
            if (read == 0)
            {
                throw new IOException("the store closed the connection before INFO was answered");
            }

            received.Write(buffer, 0, read);
            if (BulkString(received.GetBuffer().AsSpan(0, (int)received.Length)) is { } text)
            {
                return text;
            }
        }
    }

    /// <summary>The payload of a complete RESP bulk string, or null while more bytes are due.</summary>
    public static string? BulkString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf("\r\n"u8);
        if (end < 0)
        {
            return null;
        }

        var header = Encoding.ASCII.GetString(bytes[..end]);
        if (!header.StartsWith('$') || !int.TryParse(header.AsSpan(1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var length) || length < 0)
        {
            throw new IOException($"the store answered INFO with \"{header}\"");
        }

        return bytes.Length >= end + 2 + length ? Encoding.UTF8.GetString(bytes.Slice(end + 2, length)) : null;
    }
}
