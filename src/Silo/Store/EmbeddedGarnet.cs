using System.Net;
using System.Net.Sockets;
using Garnet;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Push.Silo.Store;

/// <summary>
/// The embedded default store: an in-process Garnet server on a loopback port, spoken to through
/// the same Redis client code as a real Redis. Writes are appended to its append-only file before
/// the reply and synced in groups (<see cref="SyncAsync"/>, through <see cref="GroupCommit"/>): a
/// caller that promises durability waits for the sync that covers its write, so a 201 survives a
/// crash while one sync serves many pushes. It is checkpointed to bound that file.
/// </summary>
public sealed class EmbeddedGarnet : IDisposable
{
    /// <summary>Held, exclusively, by the process whose store the data folder is.</summary>
    public const string LockFileName = "push.lock";

    private readonly GarnetServer _server;
    private readonly FileStream _lock;

    private EmbeddedGarnet(GarnetServer server, FileStream dataDirLock, int port, string socketPath)
    {
        _server = server;
        _lock = dataDirLock;
        Port = port;
        SocketPath = socketPath;
    }

    public int Port { get; }

    /// <summary>The loopback TCP address, for tools and other processes.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>A Unix socket beside the data, owner-only: what this process itself talks to.</summary>
    public string SocketPath { get; }

    /// <summary>
    /// Client settings for this process: the Unix socket, which spares each command and reply the
    /// loopback TCP stack (about a sixth of the CPU a push cost over TCP).
    /// </summary>
    public ConfigurationOptions ClientOptions()
    {
        var options = new ConfigurationOptions();
        options.EndPoints.Add(new UnixDomainSocketEndPoint(SocketPath));
        return StoreConnection.FailFast(options);
    }

    /// <param name="port">The loopback port to listen on; 0 picks a free one.</param>
    /// <exception cref="DataDirInUseException">Another process (a running Push, an import) has the folder.</exception>
    public static EmbeddedGarnet Start(string dataDir, string memory, ILoggerFactory loggerFactory, int port = 0)
    {
        var root = Path.GetFullPath(dataDir);
        Directory.CreateDirectory(root);
        var dataDirLock = Lock(root);
        port = port == 0 ? FreeLoopbackPort() : port;
        var socketPath = SocketPathFor(root);
        string[] args =
        [
            "--unixsocket", socketPath,
            "--unixsocketperm", "700",
            "--bind", "127.0.0.1",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--lua",
            "--aof",
            // Syncs on demand (GroupCommit), plus every 100 ms for writes nobody waits on (acks,
            // cluster bookkeeping). Waiting inside the store for a sync per write ("--aof-commit-wait")
            // blocks its network threads and serialises the syncs of one connection.
            "--aof-commit-freq", "100",
            "--aof-size-limit", "128m",
            "--recover",
            "--storage-tier",
            "--memory", memory,
            "--index", "64m",
            "--logdir", Path.Combine(root, "log"),
            "--checkpointdir", Path.Combine(root, "checkpoints"),
            // The default native device needs libaio, which some distributions lack.
            "--device-type", "RandomAccess",
        ];

        // Garnet writes a banner and a "ready" line straight to the console; keep Push's output clean
        // (JSON log lines only) by muting the console while it starts. Nothing else writes yet.
        var console = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            var server = new GarnetServer(args, loggerFactory, cleanupDir: false);
            server.Start();
            return new EmbeddedGarnet(server, dataDirLock, port, socketPath);
        }
        catch
        {
            dataDirLock.Dispose();
            throw;
        }
        finally
        {
            Console.SetOut(console);
        }
    }

    /// <summary>Syncs the append-only file up to its tail: every write acknowledged before the call is then on disk.</summary>
    public async ValueTask SyncAsync(CancellationToken cancellationToken) =>
        await _server.Store.CommitAOFAsync(cancellationToken);

    public void Dispose()
    {
        _server.Dispose();
        _lock.Dispose();
    }

    /// <summary>
    /// Two stores on one folder would corrupt each other's files. An exclusive lock (flock on Linux),
    /// which the system drops with the process however it ends, keeps the folder to one process.
    /// </summary>
    private static FileStream Lock(string root)
    {
        try
        {
            return new FileStream(Path.Combine(root, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new DataDirInUseException(root, e);
        }
    }

    // A socket path is limited to about 100 bytes; a deep data directory gets one in the temp folder.
    private static string SocketPathFor(string root)
    {
        var beside = Path.Combine(root, "store.sock");
        return beside.Length < 100 ? beside : Path.Combine(Path.GetTempPath(), $"push-store-{Guid.NewGuid():N}.sock");
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
