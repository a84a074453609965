using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Push.ConnectFrontend.Hosting;
using Push.ConnectFrontend.Sessions;
using Push.EndpointFrontend.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Push.Shared.Crypto;
using Push.Shared.Settings;
using Push.Silo.Dashboard;
using Push.Silo.Keys;
using Push.Grains.Storage;
using Push.Silo.Store;
using StackExchange.Redis;

namespace Push.Silo.Hosting;

/// <summary>
/// A Push process in one of its roles: everything in one process (on the embedded store, or on the
/// Redis that <c>db_dsn</c> names), a silo alone, or one of the frontends as a client of the cluster.
/// </summary>
public sealed partial class PushHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmbeddedGarnet? _store;

    private PushHost(WebApplication app, EmbeddedGarnet? store, PushConfiguration configuration, string endpointBaseUrl)
    {
        _app = app;
        _store = store;
        Configuration = configuration;
        EndpointBaseUrl = endpointBaseUrl;
    }

    /// <summary>How long a stopping process waits for sockets to close and grains to deactivate (a pod's grace period must be longer).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public PushConfiguration Configuration { get; }

    /// <summary>The base of the push endpoint URLs this host hands out.</summary>
    public string EndpointBaseUrl { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<PushHost> CreateAsync(PushConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null)
    {
        var role = configuration.Role;
        // Settings come from the environment and TOML files read once; no file watchers (they cost an
        // inotify instance each, a scarce per-user resource on Linux).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        LoggingSetup.Configure(builder.Logging, configuration, configureLogging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        // The host's "Application started", environment and content root lines: Push's summary says what matters.
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        EmbeddedGarnet? store = null;
        var redisOptions = configuration.RedisOptions();
        if (redisOptions is null)
        {
            // The store logs its own start-up at length; only its warnings belong in Push's log.
            using var storeLoggers = LoggerFactory.Create(l =>
            {
                LoggingSetup.Configure(l, configuration, configureLogging);
                l.SetMinimumLevel(LogLevel.Warning);
            });
            store = StartEmbeddedStore(configuration, storeLoggers);
            redisOptions = store.ClientOptions();
            builder.Services.AddSingleton<IStoreCommit>(new GroupCommit(store.SyncAsync));
        }

        if (role is HostRole.All or HostRole.Silo)
        {
            var redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
            builder.UseOrleans(silo => ClusterSetup.ConfigureSilo(silo, configuration, redisOptions, redis, clustered: store is null));
        }
        else
        {
            builder.UseOrleansClient(client => ClusterSetup.ConfigureClient(client, configuration, redisOptions));
        }

        var endpointBase = EndpointUrls.Base(configuration);
        var runsConnect = role is HostRole.All or HostRole.Connect;
        var runsEndpoint = role is HostRole.All or HostRole.Endpoint;
        builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, configuration));
        if (runsConnect)
        {
            builder.Services.AddConnectFrontend(new ConnectFrontendOptions
            {
                Settings = configuration.Connect,
                EndpointBaseUrl = endpointBase,
                RenewInterval = configuration.Silo.SessionRenewInterval,
            });
        }

        if (runsEndpoint)
        {
            builder.Services.AddEndpointFrontend(new EndpointFrontendOptions
            {
                Settings = configuration.Endpoint,
                Audiences = EndpointUrls.Audiences(configuration, endpointBase),
                LocationOrigin = EndpointUrls.LocationOrigin(configuration, endpointBase),
                RateLimit = configuration.Silo.RateLimitPerMinute > 0 ? new PushRateLimit(configuration.Silo.RateLimitPerMinute, configuration.Silo.RateLimitBurst) : null,
            });
        }

        if (runsConnect || runsEndpoint)
        {
            builder.Services.AddSingleton(configuration);
            builder.Services.AddSingleton<KeyConsistency>();
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddHostedService<KeyConsistencyMonitor>();
        }

        builder.Services.AddPushTelemetry();
        var app = builder.Build();
        app.UsePushMetrics(TelemetrySetup.InternalPort(configuration));
        app.UsePushDashboard(configuration.Silo);
        if (runsConnect)
        {
            app.UseConnectFrontend();
        }

        if (runsEndpoint)
        {
            app.UseEndpointFrontend();
        }

        if (role is HostRole.Silo or HostRole.Endpoint)
        {
            app.UseSiloHealth(configuration.Silo.HealthPort);
        }

        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

        return new PushHost(app, store, configuration, endpointBase);
    }

    /// <summary>The embedded store in <c>data_dir</c>; a folder another process holds is a settings error.</summary>
    internal static EmbeddedGarnet StartEmbeddedStore(PushConfiguration configuration, ILoggerFactory loggers)
    {
        try
        {
            return EmbeddedGarnet.Start(configuration.Silo.DataDir, configuration.Silo.StoreMemory, loggers);
        }
        catch (DataDirInUseException e)
        {
            throw new SettingsException($"Invalid setting data_dir (PUSH__DATA_DIR): {e.Message}");
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken);
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(StartupSummary.Category);
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        StartupSummary.Log(logger, Configuration, EndpointBaseUrl, embeddedStore: _store is not null);
        _app.Lifetime.ApplicationStopping.Register(() => LogStopping(logger, ShutdownTimeout.TotalSeconds));
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _store?.Dispose();
    }

    private static void Listen(KestrelServerOptions kestrel, PushConfiguration configuration)
    {
        var role = configuration.Role;
        var certificate = Certificate(configuration.Silo);
        Action<ListenOptions> publicPort = listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        };
        foreach (var port in HostPorts.Http(configuration))
        {
            if (port.Name == HostPorts.Endpoint)
            {
                ListenEndpoint(kestrel, configuration.Endpoint, publicPort);
            }
            else if (port.IsPublic)
            {
                kestrel.ListenAnyIP(port.Number, publicPort);
            }
            else if (configuration.Silo.InternalHost is { } internalHost)
            {
                kestrel.Listen(IPAddress.Parse(internalHost), port.Number);
            }
            else if (role == HostRole.All)
            {
                // One process: nothing else needs its metrics or dashboard, so only this machine reaches them.
                kestrel.ListenLocalhost(port.Number);
            }
            else
            {
                // Internal ports (health, metrics, dashboard) stay plain HTTP; the network must keep them private.
                kestrel.ListenAnyIP(port.Number);
            }
        }

    }

    private static void ListenEndpoint(KestrelServerOptions kestrel, EndpointSettings endpoint, Action<ListenOptions> configure)
    {
        if (endpoint.Host == "localhost")
        {
            kestrel.ListenLocalhost(endpoint.Port, configure);
        }
        else if (IPAddress.TryParse(endpoint.Host, out var address))
        {
            kestrel.Listen(address, endpoint.Port, configure);
        }
        else
        {
            // A host name (such as a container's service name) is reached on every interface.
            kestrel.ListenAnyIP(endpoint.Port, configure);
        }
    }

    private static X509Certificate2? Certificate(SiloSettings settings) =>
        settings.TlsCertFile is { } cert && settings.TlsKeyFile is { } key ? X509Certificate2.CreateFromPemFile(cert, key) : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Push is stopping: closing connections and handing off its users (at most {Seconds} s)")]
    private static partial void LogStopping(ILogger logger, double seconds);
}
