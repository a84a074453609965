using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Push.Testing;

/// <summary>
/// A loopback TCP proxy in front of a store that can lose a reply the way a network does: once armed,
/// the request holding a marker goes through, the store's replies from then on are held back, and
/// <see cref="Cut"/> closes the connection without them. The client then knows only that its write
/// failed, while the store did apply it.
/// </summary>
public sealed class TcpCutProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly EndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Link> _links = [];
    private readonly Task _accepting;
    private byte[]? _marker;

    private TcpCutProxy(EndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static TcpCutProxy Start(EndPoint target) => new(target);

    /// <summary>From now on, the first request containing <paramref name="marker"/> (ASCII) has its replies held back.</summary>
    public void HoldRepliesAfter(string marker) => Volatile.Write(ref _marker, Encoding.ASCII.GetBytes(marker));

    /// <summary>True once a request with the marker went through and its replies are being held.</summary>
    public bool Holding
    {
        get
        {
            lock (_links)
            {
                return _links.Any(l => l.Holding);
            }
        }
    }

    /// <summary>Closes every connection that holds replies back; the replies are lost. New connections pass as usual.</summary>
    public void Cut()
    {
        lock (_links)
        {
            foreach (var link in _links.Where(l => l.Holding).ToList())
            {
                link.Close();
                _links.Remove(link);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_links)
        {
            _links.ForEach(l => l.Close());
            _links.Clear();
        }

        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await (_target switch
                {
                    DnsEndPoint dns => server.ConnectAsync(dns.Host, dns.Port, _stop.Token),
                    IPEndPoint ip => server.ConnectAsync(ip, _stop.Token),
                    _ => throw new NotSupportedException($"the proxy reaches TCP addresses only, not {_target}"),
                });
                var link = new Link(this, client, server);
                lock (_links)
                {
                    _links.Add(link);
                }

                link.Start();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    /// <summary>Takes the marker when <paramref name="request"/> holds it, so only one request is marked.</summary>
    private bool TakeMarker(ReadOnlySpan<byte> request)
    {
        var marker = Volatile.Read(ref _marker);
        return marker is not null && request.IndexOf(marker) >= 0 && Interlocked.CompareExchange(ref _marker, null, marker) == marker;
    }

    private sealed class Link(TcpCutProxy proxy, TcpClient client, TcpClient server)
    {
        private volatile bool _holding;

        public bool Holding => _holding;

        public void Start()
        {
            _ = PumpAsync(client.GetStream(), server.GetStream(), upstream: true);
            _ = PumpAsync(server.GetStream(), client.GetStream(), upstream: false);
        }

        public void Close()
        {
            client.Dispose();
            server.Dispose();
        }

        private async Task PumpAsync(NetworkStream from, NetworkStream to, bool upstream)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReadAsync(buffer);
                    if (read == 0)
                    {
                        break;
                    }

                    if (!upstream && _holding)
                    {
                        continue;
                    }

                    if (upstream && proxy.TakeMarker(buffer.AsSpan(0, read)))
                    {
                        // Before the request goes on: every reply the store sends from now on is held.
                        _holding = true;
                    }

                    await to.WriteAsync(buffer.AsMemory(0, read));
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                // Cut, or one side went away.
            }

            if (!_holding)
            {
                Close();
            }
        }
    }
}
