using Push.Shared.Crypto;

namespace Push.Shared.Settings;

/// <summary>
/// Settings of the endpoint frontend (the WebPush HTTP API), with autopush's names, environment
/// variables (<c>AUTOEND__*</c>, and the older <c>AUTOENDPOINT__*</c>) and defaults.
/// </summary>
public sealed record EndpointSettings
{
    public const string EnvironmentPrefix = "AUTOEND";
    public const string LegacyEnvironmentPrefix = "AUTOENDPOINT";

    public string Scheme { get; init; } = "http";
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 8000;
    public string EndpointUrlSetting { get; init; } = string.Empty;
    public string? DbDsn { get; init; }
    public int MaxDataBytes { get; init; } = 5630;
    public required FernetKeyRing CryptoKeys { get; init; }
    public bool CryptoKeysGenerated { get; init; }

    /// <summary>HMAC keys for registration secrets; empty disables the registration API.</summary>
    public IReadOnlyList<string> AuthKeys { get; init; } = [];

    /// <summary><c>human_logs</c>, or null when not given (then the host decides by whether a terminal reads the logs).</summary>
    public bool? HumanLogs { get; init; }
    public long MaxNotificationTtl { get; init; } = 2_592_000;

    /// <summary>
    /// The largest <c>max_notification_ttl</c> accepted: one year. Stored messages and their queue
    /// expire after it, and stores refuse expiries far beyond it.
    /// </summary>
    public const long MaxNotificationTtlLimit = 365L * 86_400;
    public IReadOnlyList<string> IgnoredSettings { get; init; } = [];

    /// <summary>Every setting with the value in use and where it came from, secrets hidden.</summary>
    public IReadOnlyList<ResolvedSetting> Resolved { get; init; } = [];

    /// <summary>The public origin of this endpoint: <c>endpoint_url</c>, else <c>{scheme}://{host}:{port}</c>.</summary>
    public string EndpointUrl => EndpointUrlSetting.Length > 0
        ? EndpointUrlSetting.TrimEnd('/')
        : UrlFormat.Origin(Scheme, Host, Port);

    private static SettingsCatalog? _catalog;

    /// <summary>The keys these settings understand (for checking deployment files).</summary>
    public static SettingsCatalog Catalog => _catalog ??= SettingsCatalog.Of(EnvironmentPrefix, Read);

    public static EndpointSettings Load(SettingsSource source) => Read(new SettingsReader(source));

    private static EndpointSettings Read(SettingsReader r)
    {
        var scheme = r.GetString("scheme", "http").ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            r.Fail("scheme", $"\"{scheme}\" is not http or https");
        }

        var endpointUrl = r.GetString("endpoint_url", string.Empty).Trim();
        if (endpointUrl.Length > 0 && (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            r.Fail("endpoint_url", $"\"{endpointUrl}\" is not an http(s) URL");
        }

        var keysText = r.GetSecret("crypto_keys");
        var keys = ConnectSettings.ParseKeys(r, "crypto_keys", keysText);
        var authText = r.GetSecret("auth_keys");
        IReadOnlyList<string> authKeys = authText is null ? [] : KeyList.ParseItems(authText);
        if (authKeys.Select(KeyList.SecretProblem).FirstOrDefault(p => p is not null) is { } authProblem)
        {
            // Registration secrets are HMACs under these keys: a placeholder would let anyone forge them.
            r.Fail("auth_keys", authProblem);
        }

        var settings = new EndpointSettings
        {
            Scheme = scheme,
            Host = r.GetString("host", "127.0.0.1"),
            Port = r.GetPort("port", 8000),
            EndpointUrlSetting = endpointUrl,
            DbDsn = ConnectSettings.Blank(r.GetString("db_dsn")),
            MaxDataBytes = (int)r.GetInteger("max_data_bytes", 5630, 1, 16 * 1024 * 1024),
            CryptoKeys = keys ?? ConnectSettings.RandomKeys(),
            CryptoKeysGenerated = keysText is null,
            AuthKeys = authKeys,
            HumanLogs = r.GetBool("human_logs"),
            MaxNotificationTtl = r.GetInteger("max_notification_ttl", 2_592_000, 0, MaxNotificationTtlLimit),
        };

        ConnectSettings.CheckDbSettings(r);
        r.Ignore("db_settings", "kubernetes_memory_path", "router_table_name", "message_table_name", "tracking_keys", "log_chan_size",
            "connection_timeout_millis", "request_timeout_millis", "pool_max_idle_per_host", "pool_idle_timeout_secs",
            "statsd_host", "statsd_port", "statsd_label", "disable_sentry", "reliability_dsn", "reliability_retry_count");
        r.IgnoreSection("fcm");
        r.IgnoreSection("apns");
        r.IgnoreSection("stub");
        r.ThrowIfInvalid();
        return settings with { IgnoredSettings = r.Ignored, Resolved = r.Resolved };
    }
}
