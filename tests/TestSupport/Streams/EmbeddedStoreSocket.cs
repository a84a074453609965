using System.Net.Sockets;
using System.Text;

namespace Push.Testing.Streams;

/// <summary>
/// Cuts a single Push process off its embedded store for real: the store's Unix socket is moved away
/// and the store drops its client connections, so the process can neither use its connection nor open
/// a new one. Moving the socket back lets it reconnect. The store itself keeps running.
/// </summary>
public sealed class EmbeddedStoreSocket(string socketPath) : IStoreOutage
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    private string Away => socketPath + ".away";

    public string Describe => "embedded Garnet, its socket cut";

    public async Task BreakAsync()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token);
        File.Move(socketPath, Away);
        foreach (var type in new[] { "normal", "pubsub" })
        {
            await CommandAsync(socket, timeout.Token, "CLIENT", "KILL", "TYPE", type, "SKIPME", "yes");
        }
    }

    public Task RestoreAsync()
    {
        if (File.Exists(Away))
        {
            File.Move(Away, socketPath);
        }

        return Task.CompletedTask;
    }

    private static async Task CommandAsync(Socket socket, CancellationToken cancellationToken, params string[] words)
    {
        var request = new StringBuilder($"*{words.Length}\r\n");
        foreach (var word in words)
        {
            request.Append(System.Globalization.CultureInfo.InvariantCulture, $"${word.Length}\r\n{word}\r\n");
        }

        await socket.SendAsync(Encoding.ASCII.GetBytes(request.ToString()), cancellationToken);
        var reply = new byte[256];
        var read = await socket.ReceiveAsync(reply, cancellationToken);
        var text = Encoding.ASCII.GetString(reply, 0, read);
        if (!text.StartsWith(':'))
        {
            throw new InvalidOperationException($"the store refused {string.Join(' ', words)}: {text.Trim()}");
        }
    }
}
