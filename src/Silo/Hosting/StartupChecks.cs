using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Push.Shared.Settings;
using StackExchange.Redis;

namespace Push.Silo.Hosting;

/// <summary>
/// What a process checks before it starts anything (the store, Orleans, Kestrel), so that a port in
/// use, a store that does not answer or a bad certificate stops it with one line naming the setting,
/// instead of a half-started process whose components each report the failure at length.
/// </summary>
internal static class StartupChecks
{
    /// <summary>How long a store gets to answer its first PING (the Redis client's own connect timeout).</summary>
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Throws when another process listens on a port this one needs.</summary>
    public static void EnsurePortsFree(PushConfiguration configuration)
    {
        foreach (var port in HostPorts.Of(configuration).Where(p => p.Number != 0))
        {
            // The address Kestrel or Orleans binds; for every interface, IPv4's (a wildcard listener of
            // either family conflicts with it).
            Probe(port, port.Scope switch
            {
                ListenScope.EveryInterface => IPAddress.Any,
                ListenScope.Localhost => IPAddress.Loopback,
                _ => port.Address!,
            }, required: true);
            if (port.Scope == ListenScope.Localhost)
            {
                // "localhost" is IPv6's loopback too, where the machine has one.
                Probe(port, IPAddress.IPv6Loopback, required: false);
            }
        }
    }

    private static void Probe(HostPort port, IPAddress address, bool required)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port.Number));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied
            || (required && e.SocketErrorCode == SocketError.AddressNotAvailable))
        {
            throw PortProblem(port, e);
        }
        catch (SocketException) when (!required)
        {
            // No IPv6 here: Kestrel does without it too.
        }
    }

    public static StartupException PortProblem(HostPort port, SocketException e) => new(StartupFailureKind.PortInUse, e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => $"Cannot listen on port {port.Number}, {port.Setting}: another process is using it (stop it, or choose another port)",
        SocketError.AccessDenied => $"Cannot listen on port {port.Number}, {port.Setting}: permission denied (ports below 1024 need privileges; choose a higher one)",
        _ => $"Cannot listen on port {port.Number}, {port.Setting}: {port.Address} is not an address of this machine",
    }, e);

    /// <summary>The certificate of the public ports, or null without TLS; a file that is no PEM certificate and key stops start-up.</summary>
    public static X509Certificate2? LoadCertificate(SiloSettings settings)
    {
        if (settings.TlsCertFile is not { } cert || settings.TlsKeyFile is not { } key)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(cert, key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new SettingsException(
                $"Invalid setting {settings.Resolved.Describe(SiloSettings.EnvironmentPrefix, "tls_cert_file")} and {settings.Resolved.Describe(SiloSettings.EnvironmentPrefix, "tls_key_file")}: not a PEM certificate and its private key ({FirstLine(e.Message)})");
        }
    }

    /// <summary>
    /// Throws unless the store answers a PING within <see cref="StoreTimeout"/>, on a connection of its
    /// own: the process's connections keep retrying a lost store forever, as they must once it runs.
    /// </summary>
    public static async Task EnsureStoreAnswersAsync(ConfigurationOptions options, PushConfiguration configuration)
    {
        var probe = options.Clone();
        probe.AbortOnConnectFail = true;
        probe.ConnectRetry = 1;
        probe.ConnectTimeout = (int)StoreTimeout.TotalMilliseconds;
        try
        {
            // The socket first: the Redis client's own error does not say why it could not connect.
            if (probe.EndPoints.FirstOrDefault() is DnsEndPoint or IPEndPoint)
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                using var timeout = new CancellationTokenSource(StoreTimeout);
                await socket.ConnectAsync(probe.EndPoints[0], timeout.Token);
            }

            await using var redis = await ConnectionMultiplexer.ConnectAsync(probe);
            await redis.GetDatabase().PingAsync().WaitAsync(StoreTimeout);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or SocketException or OperationCanceledException)
        {
            throw StoreProblem(configuration, e);
        }
    }

    public static StartupException StoreProblem(PushConfiguration configuration, Exception e) =>
        new(StartupFailureKind.Store, $"Cannot use the store at {configuration.StoreAddress}, {configuration.DbDsnSetting}: {Cause(e)}", e);

    /// <summary>What went wrong, in a few words: the socket's error (connection refused, unknown host) or the store's answer.</summary>
    private static string Cause(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException socket:
                    return socket.Message;
                case RedisServerException answer:
                    return $"it answered {FirstLine(answer.Message)}";
                case TimeoutException or OperationCanceledException:
                    return $"no answer within {StoreTimeout.TotalSeconds:0} s";
            }
        }

        // The socket connected (checked first), but no Redis answered on it.
        return e is RedisConnectionException connection
            ? $"a connection opens, but no Redis answers on it ({connection.FailureType}; redis:// or rediss:// as the server expects?)"
            : FirstLine(e.Message);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
