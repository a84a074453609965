using System.Security.Cryptography;
using System.Text.Json;
using Push.Shared.Crypto;

namespace Push.Shared.Settings;

/// <summary>
/// Settings of the connect frontend (the WebSocket server), with autopush's names, environment
/// variables (<c>AUTOCONNECT__*</c>) and defaults; <c>msg_limit</c> defaults to 1000 as documented.
/// </summary>
public sealed record ConnectSettings
{
    public const string EnvironmentPrefix = "AUTOCONNECT";

    public int Port { get; init; } = 8080;
    public int RouterPort { get; init; } = 8081;
    public TimeSpan AutoPingInterval { get; init; } = TimeSpan.FromSeconds(300);
    public TimeSpan AutoPingTimeout { get; init; } = TimeSpan.FromSeconds(4);
    public TimeSpan OpenHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public string EndpointScheme { get; init; } = "http";
    public string EndpointHostname { get; init; } = "localhost";
    public int EndpointPort { get; init; } = 8082;

    /// <summary>True when any <c>endpoint_*</c> setting was given, so the handed-out URLs are the operator's choice.</summary>
    public bool EndpointUrlConfigured { get; init; }

    public required FernetKeyRing CryptoKeys { get; init; }

    /// <summary>True when <c>crypto_key</c> was not set and a random key was made for this process.</summary>
    public bool CryptoKeyGenerated { get; init; }

    public string? DbDsn { get; init; }
    public Uri? MegaphoneApiUrl { get; init; }
    public TimeSpan MegaphonePollInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary><c>human_logs</c>, or null when not given (then the host decides by whether a terminal reads the logs).</summary>
    public bool? HumanLogs { get; init; }
    public int MessageLimit { get; init; } = 1000;
    public int ClientChannelCapacity { get; init; } = 128;
    public int? MaxConnections { get; init; }

    /// <summary>Push's own: register and unregister commands one connection may send a minute (0: no limit).</summary>
    public int CommandRatePerMinute { get; init; } = 60;

    /// <summary>Push's own: how many of those commands may come at once, above the rate.</summary>
    public int CommandRateBurst { get; init; } = 100;
    public int PoolMaxIdlePerHost { get; init; } = 10;
    public TimeSpan PoolIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Settings that were given but mean nothing to Push (logged once at start-up).</summary>
    public IReadOnlyList<string> IgnoredSettings { get; init; } = [];

    /// <summary>Every setting with the value in use and where it came from, secrets hidden.</summary>
    public IReadOnlyList<ResolvedSetting> Resolved { get; init; } = [];

    /// <summary>The base of the push endpoint URLs this frontend hands out.</summary>
    public string EndpointBaseUrl => UrlFormat.Origin(EndpointScheme, EndpointHostname, EndpointPort);

    private static SettingsCatalog? _catalog;

    /// <summary>The keys these settings understand (for checking deployment files).</summary>
    public static SettingsCatalog Catalog => _catalog ??= SettingsCatalog.Of(EnvironmentPrefix, Read);

    public static ConnectSettings Load(SettingsSource source) => Read(new SettingsReader(source));

    private static ConnectSettings Read(SettingsReader r)
    {
        var scheme = r.GetString("endpoint_scheme", "http").ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            r.Fail("endpoint_scheme", $"\"{scheme}\" is not http or https");
        }

        var cryptoText = r.GetSecret("crypto_key");
        var keys = ParseKeys(r, "crypto_key", cryptoText);

        var settings = new ConnectSettings
        {
            Port = r.GetPort("port", 8080),
            RouterPort = r.GetPort("router_port", 8081),
            AutoPingInterval = TimeSpan.FromSeconds(r.GetSeconds("auto_ping_interval", 300)),
            AutoPingTimeout = TimeSpan.FromSeconds(r.GetSeconds("auto_ping_timeout", 4)),
            OpenHandshakeTimeout = TimeSpan.FromSeconds(r.GetInteger("open_handshake_timeout", 5, 1, 3600)),
            EndpointScheme = scheme,
            EndpointHostname = r.GetString("endpoint_hostname", "localhost"),
            EndpointPort = r.GetPort("endpoint_port", 8082),
            EndpointUrlConfigured = r.IsSet("endpoint_scheme") || r.IsSet("endpoint_hostname") || r.IsSet("endpoint_port"),
            CryptoKeys = keys ?? RandomKeys(),
            CryptoKeyGenerated = cryptoText is null,
            DbDsn = Blank(r.GetString("db_dsn")),
            MegaphoneApiUrl = HttpUrl(r, "megaphone_api_url"),
            MegaphonePollInterval = TimeSpan.FromSeconds(r.GetInteger("megaphone_poll_interval", 30, 1, 86400)),
            HumanLogs = r.GetBool("human_logs"),
            MessageLimit = (int)r.GetInteger("msg_limit", 1000, 1, 1_000_000),
            ClientChannelCapacity = (int)r.GetInteger("client_channel_capacity", 128, 1, 100_000),
            MaxConnections = (int?)r.GetInteger("actix_max_connections", 1, int.MaxValue),
            CommandRatePerMinute = (int)r.GetInteger("command_rate_per_minute", 60, 0, 1_000_000),
            CommandRateBurst = (int)r.GetInteger("command_rate_burst", 100, 1, 1_000_000),
            PoolMaxIdlePerHost = (int)r.GetInteger("pool_max_idle_per_host", 10, 0, 10_000),
            PoolIdleTimeout = TimeSpan.FromSeconds(r.GetInteger("pool_idle_timeout_secs", 30, 0, 86400)),
        };

        // Accepted for compatibility with autopush files and environments; nothing in Push uses them.
        // The host names served autopush's router hop, which Push does not have.
        CheckDbSettings(r);
        r.Ignore("hostname", "resolve_hostname", "router_hostname", "db_settings", "statsd_host", "statsd_port", "statsd_label",
            "disable_sentry", "megaphone_api_token", "log_chan_size", "actix_workers", "reliability_dsn", "reliability_retry_count");
        r.ThrowIfInvalid();
        return settings with { IgnoredSettings = r.Ignored, Resolved = r.Resolved };
    }

    internal static FernetKeyRing? ParseKeys(SettingsReader r, string key, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!KeyList.TryParseFernetKeys(text, out var keys, out var error))
        {
            r.Fail(key, error);
            return null;
        }

        return new FernetKeyRing(keys);
    }

    internal static FernetKeyRing RandomKeys() => new([RandomNumberGenerator.GetBytes(Fernet.KeyLength)]);

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary><c>db_settings</c> means nothing to Push, but autopush refuses one that is not JSON, and so does Push.</summary>
    internal static void CheckDbSettings(SettingsReader r)
    {
        var text = r.GetString("db_settings", string.Empty);
        if (text.Length == 0)
        {
            return;
        }

        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            r.Fail("db_settings", "is not a JSON object");
        }
    }

    internal static Uri? HttpUrl(SettingsReader r, string key)
    {
        var text = Blank(r.GetString(key));
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            r.Fail(key, $"\"{text}\" is not an http(s) URL");
            return null;
        }

        return uri;
    }
}
