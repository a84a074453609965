using System.Buffers;

namespace Push.ConnectFrontend.Protocol;

/// <summary>
/// One encoded server message (UTF-8 JSON). Messages written per send live in a pooled array that is
/// returned once the message is on the socket, so a notification costs no array of its own size;
/// constant replies are shared and never returned.
/// </summary>
internal readonly struct ServerMessage
{
    private readonly byte[]? _pooled;

    private ServerMessage(ReadOnlyMemory<byte> utf8, byte[]? pooled)
    {
        Utf8 = utf8;
        _pooled = pooled;
    }

    /// <summary>No message: nothing is sent.</summary>
    public static ServerMessage None => default;

    public ReadOnlyMemory<byte> Utf8 { get; }

    public bool IsEmpty => Utf8.IsEmpty;

    /// <summary>A shared message that is sent as it is, any number of times.</summary>
    public static ServerMessage Constant(ReadOnlyMemory<byte> utf8) => new(utf8, null);

    /// <summary>A copy of <paramref name="utf8"/> in a pooled array, given back by <see cref="Release"/>.</summary>
    public static ServerMessage CopyOf(ReadOnlySpan<byte> utf8)
    {
        var pooled = ArrayPool<byte>.Shared.Rent(utf8.Length);
        utf8.CopyTo(pooled);
        return new ServerMessage(pooled.AsMemory(0, utf8.Length), pooled);
    }

    /// <summary>Gives the pooled array back; call once, after the last use.</summary>
    public void Release()
    {
        if (_pooled is not null)
        {
            ArrayPool<byte>.Shared.Return(_pooled);
        }
    }
}
