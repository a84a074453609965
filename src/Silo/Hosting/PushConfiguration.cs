using Push.Shared.Crypto;
using Push.Shared.Settings;
using Push.Silo.Store;
using StackExchange.Redis;

namespace Push.Silo.Hosting;

/// <summary>All settings of a Push process, loaded, checked against each other and resolved.</summary>
public sealed record PushConfiguration(ConnectSettings Connect, EndpointSettings Endpoint, SiloSettings Silo)
{
    /// <summary>What this process runs.</summary>
    public HostRole Role { get; init; } = HostRole.All;

    public const string KeyFileName = "crypto_key";

    /// <summary>The Redis DSN to use, or null for the embedded store.</summary>
    public string? DbDsn => Silo.DbDsn ?? Connect.DbDsn ?? Endpoint.DbDsn;

    /// <summary>The setting that names the store in use, as errors name it: <c>db_dsn (PUSH__DB_DSN)</c>.</summary>
    public string DbDsnSetting =>
        Silo.DbDsn is not null ? Silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "db_dsn")
        : Connect.DbDsn is not null ? Connect.Resolved.Describe(ConnectSettings.EnvironmentPrefix, "db_dsn")
        : Endpoint.Resolved.Describe(EndpointSettings.EnvironmentPrefix, "db_dsn");

    /// <summary>Host and port of the Redis in use (never the DSN: it may hold a password), or null for the embedded store.</summary>
    public string? StoreAddress => RedisOptions()?.EndPoints.FirstOrDefault() switch
    {
        System.Net.DnsEndPoint name => $"{name.Host}:{name.Port}",
        var address => address?.ToString(),
    };

    /// <summary>True when the crypto key was made by Push and kept in the data folder.</summary>
    public bool UsesStoredCryptoKey { get; init; }

    /// <summary>Where the key Push makes when none is given is kept.</summary>
    public string KeyFile => Path.Combine(Path.GetFullPath(Silo.DataDir), KeyFileName);

    public static PushConfiguration Load(HostCommandLine commandLine, IReadOnlyDictionary<string, string?> environment) =>
        Read(commandLine, environment).Resolve();

    /// <summary>The settings as given, each checked on its own; nothing derived, nothing written (no key is made).</summary>
    public static PushConfiguration Read(HostCommandLine commandLine, IReadOnlyDictionary<string, string?> environment) =>
        Read(PushSources.Load(commandLine, environment), commandLine.Role);

    /// <summary>
    /// Each component's settings, not yet checked against each other. A bad value in any of them stops
    /// it, with every component's problems in one line.
    /// </summary>
    public static PushConfiguration Read(PushSources sources, HostRole role)
    {
        var (connect, endpoint, silo, problems) = ReadEach(sources);
        if (connect is null || endpoint is null || silo is null)
        {
            throw new SettingsException(string.Join("; ", problems.Select(p => p.Message)), [.. problems.SelectMany(p => p.Problems)]);
        }

        return new PushConfiguration(connect, endpoint, silo) { Role = role };
    }

    /// <summary>Each component's settings, or null with its problems where they are bad.</summary>
    public static (ConnectSettings? Connect, EndpointSettings? Endpoint, SiloSettings? Silo, IReadOnlyList<SettingsException> Problems) ReadEach(PushSources sources)
    {
        var problems = new List<SettingsException>();
        return (Try(() => ConnectSettings.Load(sources.Connect), problems),
            Try(() => EndpointSettings.Load(sources.Endpoint), problems),
            Try(() => SiloSettings.Load(sources.Silo), problems),
            problems);
    }

    /// <summary>
    /// Checks the settings against each other for the role, and fills in what is derived. Without
    /// <paramref name="createKeyFile"/> a key the process would make at start is not written (<c>check</c>).
    /// </summary>
    public PushConfiguration Resolve(bool createKeyFile = true)
    {
        CheckDashboard();
        CheckPorts();
        if (Role == HostRole.All)
        {
            CheckDsn();
            return ResolveKeys(createKeyFile);
        }

        // Separate processes meet only through Redis, and must share the keys explicitly.
        if (DbDsn is null)
        {
            throw new SettingsException($"Invalid setting db_dsn: the {Role.ToString().ToLowerInvariant()} role needs a Redis all processes reach (AUTOCONNECT__DB_DSN, AUTOEND__DB_DSN or PUSH__DB_DSN)");
        }

        _ = RedisOptions();
        if (Role == HostRole.Connect && Connect.CryptoKeyGenerated)
        {
            throw new SettingsException("Invalid setting crypto_key (AUTOCONNECT__CRYPTO_KEY): the connect role needs the key the endpoint processes have");
        }

        if (Role == HostRole.Endpoint && Endpoint.CryptoKeysGenerated)
        {
            throw new SettingsException("Invalid setting crypto_keys (AUTOEND__CRYPTO_KEYS): the endpoint role needs the keys the connect processes use");
        }

        return this;
    }

    public ConfigurationOptions? RedisOptions()
    {
        if (DbDsn is not { } dsn)
        {
            return null;
        }

        return RedisDsn.TryParse(dsn, out var options, out var error) ? options : throw new SettingsException($"Invalid setting db_dsn: {error}");
    }

    /// <summary>Each port the role listens on needs a setting of its own (0 picks a free port each).</summary>
    private void CheckPorts()
    {
        foreach (var group in HostPorts.Of(this).Where(p => p.Number != 0).GroupBy(p => p.Number).Where(g => g.Count() > 1))
        {
            throw new SettingsException($"Invalid setting {string.Join(" and ", group.Select(p => p.Setting))}: all use port {group.Key}; in one process each needs its own");
        }
    }

    /// <summary>
    /// The dashboard reads the silo it runs in, and must never share a public port. It may share the
    /// internal port (<c>router_port</c> or <c>health_port</c>).
    /// </summary>
    private void CheckDashboard()
    {
        if (Silo.DashboardPort is not { } port)
        {
            return;
        }

        if (Role is HostRole.Connect or HostRole.Endpoint)
        {
            throw new SettingsException(
                $"Invalid setting dashboard_port (PUSH__DASHBOARD_PORT): the dashboard is served by the processes that run a silo (the all and silo roles), not by the {Role.ToString().ToLowerInvariant()} role");
        }

        var taken = new List<(string Name, int Port)> { ("silo_port (PUSH__SILO_PORT)", Silo.SiloPort), ("gateway_port (PUSH__GATEWAY_PORT)", Silo.GatewayPort) };
        if (Role == HostRole.All)
        {
            taken.Add(("port (AUTOCONNECT__PORT)", Connect.Port));
            taken.Add(("port (AUTOEND__PORT)", Endpoint.Port));
        }

        if (taken.FirstOrDefault(t => t.Port == port).Name is { } clash)
        {
            throw new SettingsException($"Invalid setting dashboard_port (PUSH__DASHBOARD_PORT): port {port} is already {clash}; the dashboard belongs on an internal port");
        }
    }

    private void CheckDsn()
    {
        if (Silo.DbDsn is null && Connect.DbDsn is { } a && Endpoint.DbDsn is { } b && a != b)
        {
            throw new SettingsException($"Invalid setting db_dsn: AUTOCONNECT__DB_DSN ({RedisDsn.Redact(a)}) and AUTOEND__DB_DSN ({RedisDsn.Redact(b)}) differ; in one process both must name the same store");
        }

        _ = RedisOptions();
    }

    /// <summary>
    /// The connect frontend encrypts endpoints with its first key; the endpoint frontend must be able to
    /// decrypt them. Given on one side only, the key serves both; given on neither, Push makes one and
    /// keeps it in the data folder so that endpoints stay valid across restarts.
    /// </summary>
    private PushConfiguration ResolveKeys(bool createKeyFile)
    {
        var connectGiven = !Connect.CryptoKeyGenerated;
        var endpointGiven = !Endpoint.CryptoKeysGenerated;
        if (connectGiven && endpointGiven)
        {
            if (!Endpoint.CryptoKeys.Fingerprints.Contains(Connect.CryptoKeys.Fingerprints[0]))
            {
                throw new SettingsException(
                    "Invalid setting crypto_key (AUTOCONNECT__CRYPTO_KEY): its first key is not among crypto_keys (AUTOEND__CRYPTO_KEYS), so no endpoint it hands out could be used; give both the same keys");
            }

            return this;
        }

        if (connectGiven)
        {
            return this with { Endpoint = Endpoint with { CryptoKeys = Connect.CryptoKeys, CryptoKeysGenerated = false } };
        }

        if (endpointGiven)
        {
            return this with { Connect = Connect with { CryptoKeys = Endpoint.CryptoKeys, CryptoKeyGenerated = false } };
        }

        byte[] key;
        try
        {
            key = LoadOrCreateKey(createKeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"Invalid setting {Silo.Resolved.Describe(SiloSettings.EnvironmentPrefix, "data_dir")}: cannot keep the crypto key in {KeyFile}: {e.Message}");
        }

        var keys = new FernetKeyRing([key]);
        return this with
        {
            Connect = Connect with { CryptoKeys = keys },
            Endpoint = Endpoint with { CryptoKeys = keys },
            UsesStoredCryptoKey = true,
        };
    }

    /// <summary>The key Push made and kept in <paramref name="dataDir"/> on an earlier start, or null if there is none.</summary>
    public static byte[]? LoadStoredKey(string dataDir)
    {
        var path = Path.Combine(Path.GetFullPath(dataDir), KeyFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path).Trim();
        return KeyList.TryParseFernetKeys(text, out var keys, out var error)
            ? keys[0]
            : throw new SettingsException($"Invalid crypto key file {path}: {error}");
    }

    private byte[] LoadOrCreateKey(bool createFile)
    {
        if (LoadStoredKey(Silo.DataDir) is { } stored)
        {
            return stored;
        }

        var path = KeyFile;
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Fernet.KeyLength);
        if (!createFile)
        {
            return key;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.Delete(temp); // left by a crash before the rename: never reuse its permissions
        // Owner-only from its creation (never readable by others, not even briefly), on disk before the
        // rename makes it the key: a crash leaves no key or the whole key, never a torn one.
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temp, create))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key).Replace('+', '-').Replace('/', '_') + "\n"));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: false);
        return key;
    }

    private static T? Try<T>(Func<T> load, List<SettingsException> problems)
        where T : class
    {
        try
        {
            return load();
        }
        catch (SettingsException e)
        {
            problems.Add(e);
            return null;
        }
    }
}
