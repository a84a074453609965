using Microsoft.Extensions.Logging;
using Push.Shared;
using Push.Silo.Commands;

namespace Push.Silo.Hosting;

/// <summary>
/// What a process says once it listens: a few lines telling the person who started it where clients
/// and app servers go, where its data is, how to try it, and what to change for more processes.
/// </summary>
internal static partial class StartupSummary
{
    /// <summary>
    /// The category of the host's own start and stop lines. They name settings, folders and addresses,
    /// never a user, so ids are not masked in them: a data folder named like an id stays readable.
    /// </summary>
    public const string Category = "Push";

    public static void Log(ILogger logger, PushConfiguration configuration, string endpointBaseUrl, bool embeddedStore)
    {
        // Called once, after the caller checked that Information is on: the values are worked out up front.
        var silo = configuration.Silo;
        var webSocketUrl = WebSocketUrl(configuration);
        var dataDir = Path.GetFullPath(silo.DataDir);
        var internalUrl = $"http://localhost:{configuration.Connect.RouterPort}";
        var tryCommand = CommandLine.Of(TryCommand.Name, TryCommand.ArgumentFor(webSocketUrl));
        var keysCommand = CommandLine.Of(KeysCommand.Name);
        var keyFile = configuration.KeyFile;
        var redis = configuration.StoreAddress;
        switch (configuration.Role)
        {
            case HostRole.All:
                LogRunning(logger, ServiceVersion.Current, webSocketUrl);
                LogPushApi(logger, endpointBaseUrl);
                LogInternal(logger, internalUrl);
                if (embeddedStore)
                {
                    LogData(logger, dataDir);
                }
                else
                {
                    LogRedis(logger, redis ?? "?");
                }

                LogTry(logger, tryCommand);
                if (configuration.UsesStoredCryptoKey)
                {
                    LogStoredKey(logger, keyFile, keysCommand);
                }

                break;
            case HostRole.Silo:
                LogSiloStarted(logger, silo.SiloPort, silo.GatewayPort, silo.HealthPort);
                break;
            case HostRole.Connect:
                LogConnectStarted(logger, webSocketUrl, configuration.Connect.RouterPort, endpointBaseUrl);
                break;
            case HostRole.Endpoint:
                LogEndpointStarted(logger, configuration.Endpoint.Port, silo.HealthPort);
                break;
        }

        var ignored = string.Join(", ", configuration.Connect.IgnoredSettings.Concat(configuration.Endpoint.IgnoredSettings).Distinct());
        if (ignored.Length > 0)
        {
            LogIgnored(logger, ignored);
        }
    }

    /// <summary>What the person who started the process must fix, whatever the log level: URLs that senders' VAPID tokens cannot match.</summary>
    public static void Warn(ILogger logger, PushConfiguration configuration)
    {
        if (EndpointUrls.Problem(configuration) is { } problem)
        {
            LogUrlProblem(logger, problem);
        }
    }

    /// <summary>The URL phones and browsers open (the WebSocket listens on every interface; any path).</summary>
    public static string WebSocketUrl(PushConfiguration configuration) =>
        $"{(configuration.Silo.TlsCertFile is null ? "ws" : "wss")}://localhost:{configuration.Connect.Port}/";

    [LoggerMessage(Level = LogLevel.Information, Message = "Push {Version} is running. Phones and browsers connect to {WebSocketUrl}")]
    private static partial void LogRunning(ILogger logger, string version, string webSocketUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "App servers push to the endpoints it hands out, under {PushApiUrl}")]
    private static partial void LogPushApi(ILogger logger, string pushApiUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health and metrics (keep private): {InternalUrl}/__heartbeat__ and {InternalUrl}/metrics")]
    private static partial void LogInternal(ILogger logger, string internalUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data (the embedded store): {DataDir}")]
    private static partial void LogData(ILogger logger, string dataDir);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data: in Redis at {Redis} (db_dsn)")]
    private static partial void LogRedis(ILogger logger, string redis);

    [LoggerMessage(Level = LogLevel.Information, Message = "Try a push by hand: {TryCommand}")]
    private static partial void LogTry(ILogger logger, string tryCommand);

    [LoggerMessage(Level = LogLevel.Information, Message = "The crypto key was made here and is kept in {KeyFile}. For more than one process, give every process one key (that one, or a new one from `{KeysCommand}`) as AUTOCONNECT__CRYPTO_KEY and AUTOEND__CRYPTO_KEYS, and one Redis as AUTOCONNECT__DB_DSN and AUTOEND__DB_DSN; the README's \"Several processes\" shows the roles")]
    private static partial void LogStoredKey(ILogger logger, string keyFile, string keysCommand);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push silo is running: silo port {SiloPort}, gateway port {GatewayPort}, health on port {HealthPort}")]
    private static partial void LogSiloStarted(ILogger logger, int siloPort, int gatewayPort, int healthPort);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push connect frontend is running: phones and browsers connect to {WebSocketUrl}, internal port {RouterPort}; endpoints are handed out as {EndpointBase}")]
    private static partial void LogConnectStarted(ILogger logger, string webSocketUrl, int routerPort, string endpointBase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push endpoint frontend is running: push API on port {Port}, health on port {HealthPort}")]
    private static partial void LogEndpointStarted(ILogger logger, int port, int healthPort);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settings accepted for compatibility but not used by Push: {Settings}")]
    private static partial void LogIgnored(ILogger logger, string settings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint URLs: {Problem}")]
    private static partial void LogUrlProblem(ILogger logger, string problem);
}
