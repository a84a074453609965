using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Push.Grains;
using Push.Grains.Messages;
using Push.Grains.Storage;
using Push.Silo.Hosting;
using Push.Silo.Store;
using StackExchange.Redis;

namespace Push.Silo.Import;

/// <summary>
/// Push's configured store, written the way the service writes it: a silo runs in this process and
/// every user goes through its own grain, so the records, channel sets and queues are exactly what the
/// service reads. On the embedded store the silo is alone (the data folder's lock keeps the service
/// out meanwhile); on Redis it joins the cluster like any silo, so a running service stays consistent.
/// </summary>
internal sealed class ImportTarget : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private readonly IHost _host;
    private readonly EmbeddedGarnet? _store;
    private readonly IConnectionMultiplexer _redis;
    private readonly IGrainFactory _grains;
    private readonly IStoreCommit _commit;
    private readonly RedisKey _resumeKey;

    private ImportTarget(IHost host, EmbeddedGarnet? store, IConnectionMultiplexer redis, string description, RedisKey resumeKey)
    {
        _host = host;
        _store = store;
        _redis = redis;
        _grains = host.Services.GetRequiredService<IGrainFactory>();
        _commit = host.Services.GetRequiredService<IStoreCommit>();
        Description = description;
        _resumeKey = resumeKey;
    }

    public string Description { get; }

    /// <exception cref="Shared.Settings.SettingsException">The data folder is in use, or a setting is unusable.</exception>
    public static async Task<ImportTarget> StartAsync(PushConfiguration configuration, string sourceIdentity)
    {
        // The silo serves nobody but this import: no dashboard, and only warnings, on stderr.
        configuration = configuration with { Silo = configuration.Silo with { DashboardPort = null } };
        Action<ILoggingBuilder> quiet = l => l.SetMinimumLevel(LogLevel.Warning);
        var redisOptions = configuration.RedisOptions();
        EmbeddedGarnet? store = null;
        if (redisOptions is null)
        {
            using var storeLoggers = LoggerFactory.Create(l => LoggingSetup.Configure(l, configuration, quiet));
            store = PushHost.StartEmbeddedStore(configuration, storeLoggers);
            redisOptions = store.ClientOptions();
        }

        configuration = WithSiloPorts(configuration, alone: store is not null);
        IConnectionMultiplexer? redis = null;
        IHost? host = null;
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            LoggingSetup.Configure(builder.Logging, configuration, quiet);
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            if (store is not null)
            {
                builder.Services.AddSingleton<IStoreCommit>(new GroupCommit(store.SyncAsync));
            }

            redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
            var connection = redis;
            builder.UseOrleans(silo => ClusterSetup.ConfigureSilo(silo, configuration, redisOptions, connection, clustered: store is null));
            host = builder.Build();
            await host.StartAsync();
            var description = store is null ? RedisDsn.Redact(configuration.DbDsn!) : $"the embedded store in {Path.GetFullPath(configuration.Silo.DataDir)}";
            return new ImportTarget(host, store, redis, description, $"push:import:{configuration.Silo.ServiceId}:autopush:{sourceIdentity}");
        }
        catch
        {
            host?.Dispose();
            redis?.Dispose();
            store?.Dispose();
            throw;
        }
    }

    public Task<ImportResult> ImportAsync(Guid uaid, ImportedUser user) => _grains.GetClientGrain(uaid).ImportAsync(user);

    /// <summary>The SCAN cursor an earlier, unfinished run of this import got to, or null.</summary>
    public async Task<string?> LoadResumePointAsync() => await _redis.GetDatabase().StringGetAsync(_resumeKey);

    /// <summary>Every user before <paramref name="cursor"/> is imported; "0" means the scan is complete.</summary>
    public async Task SaveResumePointAsync(string cursor)
    {
        var db = _redis.GetDatabase();
        await (cursor == "0" ? db.KeyDeleteAsync(_resumeKey) : db.StringSetAsync(_resumeKey, cursor));
        await _commit.WaitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            await _host.StopAsync(timeout.Token);
        }

        _host.Dispose();
        await _redis.DisposeAsync();
        _store?.Dispose();
    }

    /// <summary>
    /// Alone on its data folder the silo is a cluster of its own, on ports nothing else uses. On Redis it
    /// keeps the configured ports (what a network policy lets through) unless a silo on this machine has them.
    /// </summary>
    private static PushConfiguration WithSiloPorts(PushConfiguration configuration, bool alone)
    {
        var silo = configuration.Silo;
        return configuration with
        {
            Silo = alone
                ? silo with { SiloPort = EmbeddedGarnet.FreeLoopbackPort(), GatewayPort = EmbeddedGarnet.FreeLoopbackPort() }
                : silo with { SiloPort = FreeOrOther(silo.SiloPort), GatewayPort = FreeOrOther(silo.GatewayPort) },
        };
    }

    private static int FreeOrOther(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            listener.Stop();
            return port;
        }
        catch (SocketException)
        {
            return EmbeddedGarnet.FreeLoopbackPort();
        }
    }
}
