using Push.Shared.Crypto;
using Push.Shared.Settings;

namespace Push.Silo.Hosting;

/// <summary>
/// Settings of the host itself, which autopush has no counterpart for (<c>PUSH__*</c>, or a
/// <c>--silo-config</c> TOML file).
/// </summary>
public sealed record SiloSettings
{
    public const string EnvironmentPrefix = "PUSH";

    /// <summary>Where the embedded store keeps its files (used when no <c>db_dsn</c> names a Redis).</summary>
    public string DataDir { get; init; } = "./data";

    /// <summary>Overrides the <c>db_dsn</c> of the connect and endpoint settings for the silo.</summary>
    public string? DbDsn { get; init; }

    public string ServiceId { get; init; } = "push";
    public string ClusterId { get; init; } = "push";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>In-memory size of the embedded store's log before it spills to disk (Garnet's <c>--memory</c>).</summary>
    public string StoreMemory { get; init; } = "256m";

    /// <summary>
    /// The address other silos and the frontends reach this silo at. Default: <c>POD_IP</c> when set
    /// (Kubernetes), else this machine's first non-loopback IPv4 address, else loopback.
    /// </summary>
    public string? AdvertisedIp { get; init; }

    /// <summary>
    /// PEM certificate (chain) and private key: when both are set, the public ports (WebSocket and push
    /// API) serve TLS themselves (wss:// and https://), for a single server without a proxy.
    /// </summary>
    public string? TlsCertFile { get; init; }

    public string? TlsKeyFile { get; init; }

    /// <summary>Port of the silo role's health routes (the silo has no other HTTP port).</summary>
    public int HealthPort { get; init; } = 8090;

    /// <summary>
    /// How often each WebSocket session renews its observer with its grain. After a silo is lost, a
    /// session finds its messages again within this time.
    /// </summary>
    public TimeSpan SessionRenewInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Pushes a minute one subscription may receive (a token bucket per endpoint; excess pushes get 429
    /// with <c>Retry-After</c>). 0, the default, means no limit, as in autopush.
    /// </summary>
    public int RateLimitPerMinute { get; init; }

    /// <summary>How many pushes above the steady rate one subscription may receive at once (default: the per-minute rate).</summary>
    public int RateLimitBurst { get; init; }

    /// <summary>
    /// Port of the Orleans dashboard (<c>/dashboard/</c>), or null when it is off (the default). It
    /// shows grain state and logs, so it is served only behind <see cref="DashboardUsername"/> and
    /// <see cref="DashboardPassword"/>, and only on this port.
    /// </summary>
    public int? DashboardPort { get; init; }

    public string? DashboardUsername { get; init; }

    public string? DashboardPassword { get; init; }

    /// <summary>
    /// Address the internal HTTP ports (health, <c>/metrics</c>, dashboard) listen on, or null for the
    /// role's default: loopback for <c>all</c> (nothing else needs them), every interface otherwise.
    /// </summary>
    public string? InternalHost { get; init; }

    /// <summary>
    /// How logs are written (<c>log_format</c>: human, json or mozlog), or null when not given: then
    /// <c>human_logs</c> decides, as it always has.
    /// </summary>
    public LogFormat? LogFormat { get; init; }

    /// <summary>Proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (see <see cref="Hosting.TrustedProxies"/>).</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; init; } = Hosting.TrustedProxies.Default;

    /// <summary>How long a user no client has connected as lives on, with its channels (autopush drops users after 60 days).</summary>
    public TimeSpan UserExpiry { get; init; } = TimeSpan.FromDays(60);

    /// <summary>The most channels (subscriptions) one user may have; registering more is refused (autopush has no limit).</summary>
    public int MaxChannels { get; init; } = 1000;

    /// <summary>How long a push waits for its message to be stored before it is refused with 503.</summary>
    public TimeSpan SaveTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    public IReadOnlyList<string> IgnoredSettings { get; init; } = [];

    /// <summary>Every setting with the value in use and where it came from, secrets hidden.</summary>
    public IReadOnlyList<ResolvedSetting> Resolved { get; init; } = [];

    private static SettingsCatalog? _catalog;

    /// <summary>The keys these settings understand (for checking deployment files).</summary>
    public static SettingsCatalog Catalog => _catalog ??= SettingsCatalog.Of(EnvironmentPrefix, Read);

    public static SiloSettings Load(SettingsSource source) => Read(new SettingsReader(source));

    private static SiloSettings Read(SettingsReader r)
    {
        var settings = new SiloSettings
        {
            DataDir = r.GetString("data_dir", "./data"),
            DbDsn = string.IsNullOrWhiteSpace(r.GetString("db_dsn")) ? null : r.GetString("db_dsn")!.Trim(),
            ServiceId = r.GetString("service_id", "push"),
            ClusterId = r.GetString("cluster_id", "push"),
            SiloPort = r.GetPort("silo_port", 11111),
            GatewayPort = r.GetPort("gateway_port", 30000),
            StoreMemory = r.GetString("store_memory", "256m"),
            AdvertisedIp = string.IsNullOrWhiteSpace(r.GetString("advertised_ip")) ? null : r.GetString("advertised_ip")!.Trim(),
            HealthPort = r.GetPort("health_port", 8090),
            TlsCertFile = string.IsNullOrWhiteSpace(r.GetString("tls_cert_file")) ? null : r.GetString("tls_cert_file"),
            TlsKeyFile = string.IsNullOrWhiteSpace(r.GetString("tls_key_file")) ? null : r.GetString("tls_key_file"),
            SessionRenewInterval = TimeSpan.FromSeconds(r.GetSeconds("session_renew_interval", 30)),
            RateLimitPerMinute = (int)r.GetInteger("rate_limit_per_minute", 0, 0, 6_000_000),
            MaxChannels = (int)r.GetInteger("max_channels", 1000, 1, 1_000_000),
            UserExpiry = TimeSpan.FromDays(r.GetInteger("user_expiry_days", 60, 2, 3650)),
            SaveTimeout = TimeSpan.FromSeconds(r.GetSeconds("save_timeout", 0.5)),
            InternalHost = string.IsNullOrWhiteSpace(r.GetString("internal_host")) ? null : r.GetString("internal_host")!.Trim(),
            DashboardPort = r.GetInteger("dashboard_port", 0, 65535) is { } port and > 0 ? (int)port : null,
            DashboardUsername = string.IsNullOrEmpty(r.GetString("dashboard_username")) ? null : r.GetString("dashboard_username"),
            DashboardPassword = string.IsNullOrEmpty(r.GetSecret("dashboard_password")) ? null : r.GetSecret("dashboard_password"),
            LogFormat = ReadLogFormat(r),
            TrustedProxies = Hosting.TrustedProxies.Read(r),
        };
        settings = settings with { RateLimitBurst = (int)r.GetInteger("rate_limit_burst", Math.Max(1, settings.RateLimitPerMinute), 1, 1_000_000) };
        CheckDashboard(r, settings);
        if ((settings.TlsCertFile is null) != (settings.TlsKeyFile is null))
        {
            r.Fail(settings.TlsCertFile is null ? "tls_cert_file" : "tls_key_file", "TLS needs both tls_cert_file and tls_key_file");
        }

        foreach (var (key, file) in new[] { ("tls_cert_file", settings.TlsCertFile), ("tls_key_file", settings.TlsKeyFile) })
        {
            if (file is not null && !File.Exists(file))
            {
                r.Fail(key, $"\"{file}\" does not exist");
            }
        }

        if (settings.InternalHost is { } internalHost && !System.Net.IPAddress.TryParse(internalHost, out _))
        {
            r.Fail("internal_host", $"\"{internalHost}\" is not an IP address");
        }

        if (settings.AdvertisedIp is { } ip && !System.Net.IPAddress.TryParse(ip, out _))
        {
            r.Fail("advertised_ip", $"\"{ip}\" is not an IP address");
        }

        if (settings.SaveTimeout > TimeSpan.FromSeconds(2))
        {
            // Beyond the store client's own 2 s command timeout the wait would end there anyway.
            r.Fail("save_timeout", "must be at most 2 seconds");
        }

        r.ThrowIfInvalid();
        return settings with { IgnoredSettings = r.Ignored, Resolved = r.Resolved };
    }

    private static LogFormat? ReadLogFormat(SettingsReader r)
    {
        var text = r.GetString("log_format")?.Trim().ToLowerInvariant();
        switch (text)
        {
            case null or "":
                return null;
            case "human" or "json" or "mozlog":
                return Enum.Parse<LogFormat>(text, ignoreCase: true);
            default:
                r.Fail("log_format", $"\"{text}\" is not human, json or mozlog");
                return null;
        }
    }

    // The dashboard exposes grain state and the live log: never without a credential.
    private static void CheckDashboard(SettingsReader r, SiloSettings settings)
    {
        if (settings.DashboardPort is null)
        {
            return;
        }

        if (settings.DashboardUsername is null)
        {
            r.Fail("dashboard_username", "the dashboard (dashboard_port) needs dashboard_username and dashboard_password");
        }
        else if (settings.DashboardUsername.Contains(':', StringComparison.Ordinal))
        {
            r.Fail("dashboard_username", "HTTP Basic auth does not allow ':' in a user name");
        }

        if (settings.DashboardPassword is null)
        {
            r.Fail("dashboard_password", "the dashboard (dashboard_port) needs dashboard_username and dashboard_password");
        }
        else if (KeyList.SecretProblem(settings.DashboardPassword) is { } problem)
        {
            r.Fail("dashboard_password", problem);
        }
    }
}
