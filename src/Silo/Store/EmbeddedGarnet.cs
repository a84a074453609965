using System.Net;
using System.Net.Sockets;
using Garnet;
using Microsoft.Extensions.Logging;

namespace Push.Silo.Store;

/// <summary>
/// The embedded default store: an in-process Garnet server on a loopback port, spoken to through
/// the same Redis client code as a real Redis. Every write is committed to its append-only file
/// before the reply (so a 201 survives a crash), and it is checkpointed to bound that file.
/// </summary>
public sealed class EmbeddedGarnet : IDisposable
{
    private readonly GarnetServer _server;

    private EmbeddedGarnet(GarnetServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <param name="port">The loopback port to listen on; 0 picks a free one.</param>
    public static EmbeddedGarnet Start(string dataDir, string memory, ILoggerFactory loggerFactory, int port = 0)
    {
        var root = Path.GetFullPath(dataDir);
        Directory.CreateDirectory(root);
        port = port == 0 ? FreeLoopbackPort() : port;
        string[] args =
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--lua",
            "--aof",
            "--aof-commit-freq", "0",
            "--aof-commit-wait", "true",
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
            return new EmbeddedGarnet(server, port);
        }
        finally
        {
            Console.SetOut(console);
        }
    }

    public void Dispose() => _server.Dispose();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
