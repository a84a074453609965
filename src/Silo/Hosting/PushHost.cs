using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Push.ConnectFrontend.Hosting;
using Push.ConnectFrontend.Sessions;
using Push.EndpointFrontend.Hosting;
using Push.Grains;
using Push.Shared.Settings;
using Push.Silo.Store;
using StackExchange.Redis;

namespace Push.Silo.Hosting;

/// <summary>
/// The single-process service: the silo, the connect frontend and the endpoint frontend in one
/// process, on the embedded store or on the Redis that <c>db_dsn</c> names.
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

    public PushConfiguration Configuration { get; }

    /// <summary>The base of the push endpoint URLs this host hands out.</summary>
    public string EndpointBaseUrl { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<PushHost> CreateAsync(PushConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        ConfigureLogging(builder.Logging, configuration, configureLogging);
        // The store logs its own start-up at length; only its warnings belong in Push's log.
        using var storeLoggers = LoggerFactory.Create(l =>
        {
            ConfigureLogging(l, configuration, configureLogging);
            l.SetMinimumLevel(LogLevel.Warning);
        });

        EmbeddedGarnet? store = null;
        ConfigurationOptions redisOptions;
        if (configuration.RedisOptions() is { } external)
        {
            redisOptions = external;
        }
        else
        {
            store = EmbeddedGarnet.Start(configuration.Silo.DataDir, configuration.Silo.StoreMemory, storeLoggers);
            redisOptions = ConfigurationOptions.Parse(store.ConnectionString);
            redisOptions.AbortOnConnectFail = false;
        }

        var redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
        var endpointBase = ResolveEndpointBase(configuration);
        var connect = configuration.Connect;
        var endpoint = configuration.Endpoint;

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(connect.Port);
            kestrel.ListenAnyIP(connect.RouterPort);
            ListenEndpoint(kestrel, endpoint);
            if (connect.MaxConnections is { } max)
            {
                kestrel.Limits.MaxConcurrentUpgradedConnections = max;
            }
        });

        builder.Services.AddSingleton<IConnectionMultiplexer>(redis);
        builder.Services.AddConnectFrontend(new ConnectFrontendOptions
        {
            Settings = connect,
            EndpointBaseUrl = endpointBase,
            RenewInterval = configuration.Silo.SessionRenewInterval,
        });
        builder.Services.AddEndpointFrontend(new EndpointFrontendOptions
        {
            Settings = endpoint,
            Audiences = new HashSet<string>([UrlFormat.Origin(new Uri(endpoint.EndpointUrl)), UrlFormat.Origin(new Uri(endpointBase))], StringComparer.Ordinal),
            LocationOrigin = UrlFormat.Origin(new Uri(endpoint.EndpointUrlSetting.Length > 0 || !connect.EndpointUrlConfigured ? endpoint.EndpointUrl : endpointBase)),
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(configuration.Silo.SiloPort, configuration.Silo.GatewayPort, serviceId: configuration.Silo.ServiceId, clusterId: configuration.Silo.ClusterId);
            silo.AddRedisGrainStorageAsDefault(o =>
            {
                o.ConfigurationOptions = redisOptions;
                o.CreateMultiplexer = _ => Task.FromResult<(IConnectionMultiplexer, bool)>((redis, true));
                o.DeleteStateOnClear = true;
            });
            silo.Services.AddPushGrains(o => o.MessageLimit = connect.MessageLimit);
        });

        var app = builder.Build();
        app.UseConnectFrontend();
        app.UseEndpointFrontend();
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

        return new PushHost(app, store, configuration, endpointBase);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken);
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Push");
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        LogStarted(logger, Configuration.Connect.Port, Configuration.Connect.RouterPort, Configuration.Endpoint.Port, EndpointBaseUrl,
            _store is null ? "redis" : $"embedded store in {Path.GetFullPath(Configuration.Silo.DataDir)}");
        var ignored = string.Join(", ", Configuration.Connect.IgnoredSettings.Concat(Configuration.Endpoint.IgnoredSettings).Distinct());
        if (ignored.Length > 0)
        {
            LogIgnored(logger, ignored);
        }

        if (Configuration.UsesStoredCryptoKey)
        {
            LogStoredKey(logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _store?.Dispose();
    }

    /// <summary>
    /// The push URLs point at the endpoint frontend this process runs, unless <c>endpoint_*</c> says otherwise.
    /// </summary>
    private static string ResolveEndpointBase(PushConfiguration configuration)
    {
        if (configuration.Connect.EndpointUrlConfigured)
        {
            return configuration.Connect.EndpointBaseUrl;
        }

        var endpoint = configuration.Endpoint;
        if (endpoint.EndpointUrlSetting.Length > 0)
        {
            return endpoint.EndpointUrl;
        }

        var host = IPAddress.TryParse(endpoint.Host, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) ? "localhost" : endpoint.Host;
        return UrlFormat.Origin(endpoint.Scheme, host, endpoint.Port);
    }

    private static void ListenEndpoint(KestrelServerOptions kestrel, EndpointSettings endpoint)
    {
        if (endpoint.Host == "localhost")
        {
            kestrel.ListenLocalhost(endpoint.Port);
        }
        else if (IPAddress.TryParse(endpoint.Host, out var address))
        {
            kestrel.Listen(address, endpoint.Port);
        }
        else
        {
            // A host name (such as a container's service name) is reached on every interface.
            kestrel.ListenAnyIP(endpoint.Port);
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, PushConfiguration configuration, Action<ILoggingBuilder>? extra)
    {
        logging.ClearProviders();
        if (configuration.Connect.HumanLogs || configuration.Endpoint.HumanLogs)
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        }
        else
        {
            logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ");
        }

        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Orleans", LogLevel.Warning);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging.AddFilter("Garnet", LogLevel.Warning);
        logging.AddFilter("GarnetServer", LogLevel.Warning);
        logging.AddFilter("Tsavorite", LogLevel.Warning);
        extra?.Invoke(logging);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Push is running: WebSocket on port {Port}, internal port {RouterPort}, push API on port {EndpointPort}; endpoints are handed out as {EndpointBase}; storage: {Storage}")]
    private static partial void LogStarted(ILogger logger, int port, int routerPort, int endpointPort, string endpointBase, string storage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settings accepted for compatibility but not used by Push: {Settings}")]
    private static partial void LogIgnored(ILogger logger, string settings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No crypto_key/crypto_keys given: using the key Push made and keeps in the data folder. Set AUTOCONNECT__CRYPTO_KEY and AUTOEND__CRYPTO_KEYS before running more than one process.")]
    private static partial void LogStoredKey(ILogger logger);
}
