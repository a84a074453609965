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
    private readonly StartupLogGate _logGate;

    private PushHost(WebApplication app, EmbeddedGarnet? store, StartupLogGate logGate, PushConfiguration configuration, string endpointBaseUrl)
    {
        _app = app;
        _store = store;
        _logGate = logGate;
        Configuration = configuration;
        EndpointBaseUrl = endpointBaseUrl;
    }

    /// <summary>How long a stopping process waits for sockets to close and grains to deactivate (a pod's grace period must be longer).</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    public PushConfiguration Configuration { get; }

    /// <summary>The base of the push endpoint URLs this host hands out.</summary>
    public string EndpointBaseUrl { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Builds the process for its role. A port in use, a store that does not answer or a bad
    /// certificate throws <see cref="StartupException"/> or <see cref="SettingsException"/> (one line)
    /// before anything starts.
    /// </summary>
    public static async Task<PushHost> CreateAsync(PushConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null)
    {
        var role = configuration.Role;
        StartupChecks.EnsurePortsFree(configuration);
        var certificate = StartupChecks.LoadCertificate(configuration.Silo);

        // Settings come from the environment and TOML files read once; no file watchers (they cost an
        // inotify instance each, a scarce per-user resource on Linux).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        var logGate = new StartupLogGate();
        LoggingSetup.Configure(builder.Logging, configuration, configureLogging, logGate);
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
                LoggingSetup.Configure(l, configuration, configureLogging, logGate);
                l.SetMinimumLevel(LogLevel.Warning);
            });
            store = StartEmbeddedStore(configuration, storeLoggers);
            redisOptions = store.ClientOptions();
            builder.Services.AddSingleton<IStoreCommit>(new GroupCommit(store.SyncAsync));
        }
        else
        {
            // Without it a silo fails deep in Orleans, and a frontend waits for gateways forever.
            await StartupChecks.EnsureStoreAnswersAsync(redisOptions, configuration);
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
        builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, configuration, certificate));
        if (runsConnect)
        {
            builder.Services.AddConnectFrontend(new ConnectFrontendOptions
            {
                Settings = configuration.Connect,
                EndpointBaseUrl = endpointBase,
                TrustedProxies = configuration.Silo.TrustedProxies,
                RenewInterval = configuration.Silo.SessionRenewInterval,
            });
        }

        if (runsEndpoint)
        {
            builder.Services.AddEndpointFrontend(new EndpointFrontendOptions
            {
                Settings = configuration.Endpoint,
                Audiences = EndpointUrls.Audiences(configuration),
                LocationOrigin = EndpointUrls.LocationOrigin(configuration),
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
        app.UseTrustedProxies(configuration.Silo.TrustedProxies);
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

        return new PushHost(app, store, logGate, configuration, endpointBase);
    }

    /// <summary>
    /// The embedded store in <c>data_dir</c>. A folder another process holds is a settings error; one it
    /// cannot write to, a start-up failure naming <c>data_dir</c>.
    /// </summary>
    internal static EmbeddedGarnet StartEmbeddedStore(PushConfiguration configuration, ILoggerFactory loggers)
    {
        var setting = configuration.Silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "data_dir");
        try
        {
            return EmbeddedGarnet.Start(configuration.Silo.DataDir, configuration.Silo.StoreMemory, loggers);
        }
        catch (DataDirInUseException e)
        {
            throw new SettingsException($"Invalid setting {setting}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(StartupFailureKind.DataDir,
                $"Cannot keep the embedded store in {Path.GetFullPath(configuration.Silo.DataDir)}, {setting}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Starts the store client, Orleans and Kestrel. A failure of a known kind (a port taken meanwhile,
    /// the store lost) throws <see cref="StartupException"/> and silences the components that stop after it.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (StartupFailure.Explain(e, Configuration) is { } explained)
        {
            _logGate.Close();
            throw explained;
        }

        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(StartupSummary.Category);
        StartupSummary.Warn(logger, Configuration);
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

    private static void Listen(KestrelServerOptions kestrel, PushConfiguration configuration, X509Certificate2? certificate)
    {
        Action<ListenOptions> publicPort = listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        };
        foreach (var port in HostPorts.Http(configuration))
        {
            // Internal ports (health, metrics, dashboard) stay plain HTTP; the network must keep them private.
            Action<ListenOptions> configure = port.Name == HostPorts.WebSocket
                ? listen =>
                {
                    publicPort(listen);
                    // WebSocket handshakes are taken straight off the connection; anything else goes on to HTTP.
                    listen.UseConnectWebSockets();
                }
                : port.IsPublic ? publicPort : _ => { };
            switch (port.Scope)
            {
                case ListenScope.EveryInterface:
                    kestrel.ListenAnyIP(port.Number, configure);
                    break;
                case ListenScope.Localhost:
                    kestrel.ListenLocalhost(port.Number, configure);
                    break;
                default:
                    kestrel.Listen(port.Address!, port.Number, configure);
                    break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push is stopping: closing connections and handing off its users (at most {Seconds} s)")]
    private static partial void LogStopping(ILogger logger, double seconds);
}
