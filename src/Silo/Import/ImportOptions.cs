using System.Globalization;

namespace Push.Silo.Import;

/// <summary>The command line of <c>import-autopush</c>.</summary>
internal sealed record ImportOptions
{
    /// <summary>Its arguments as the usage line shows them.</summary>
    public const string Arguments = "--from redis://HOST:PORT[/DB] [options]";

    /// <summary>What <c>--help</c> says below the usage line.</summary>
    public const string Details = """
        The source is an autopush-rs Redis or Valkey database. Each user comes with its channels and the
        messages still waiting for it (TTL, topic and timestamps kept). Clients then connect with their old UAID, and the endpoints autopush handed out keep working, as long
        as Push runs with autopush's crypto_key. The source is only read, never changed.
        The store written is the one Push is configured with: db_dsn, or the embedded store in data_dir
        (then Push must not be running on that data_dir).
        Running it again is safe: users Push already has are left as they are, and an interrupted run
        continues where it stopped.
        Exits 0 when done (or stopped by --max-users), 1 when it failed on the way, 2 for bad arguments
        or settings, 130 when interrupted.

        Options:
          --from URL                 the autopush database: redis://[user:password@]host[:port][/db], or rediss://
          --dry-run                  read and count everything, write nothing
          --max-users N              stop after N users (run again to continue)
          --progress-interval SECS   how often to report progress (default 10; 0: after every batch)
          --connect-config FILE      autoconnect TOML settings (crypto_key, db_dsn, msg_limit)
          --endpoint-config FILE     autoendpoint TOML settings (crypto_keys, db_dsn)
          --silo-config FILE         Push's own host settings (data_dir, max_channels)
        Environment variables AUTOCONNECT__*, AUTOEND__* (or AUTOENDPOINT__*) and PUSH__* override the files.
        """;

    public string? From { get; init; }
    public bool DryRun { get; init; }
    public long? MaxUsers { get; init; }
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);
    public string? ConnectConfig { get; init; }
    public string? EndpointConfig { get; init; }
    public string? SiloConfig { get; init; }

    /// <exception cref="ArgumentException">An argument is unknown, lacks its value, or <c>--from</c> is missing.</exception>
    public static ImportOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ImportOptions();
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--from" => options with { From = Value(args, ref i) },
                "--dry-run" => options with { DryRun = true },
                "--max-users" => options with { MaxUsers = Number(args, ref i, 1) },
                "--progress-interval" => options with { ProgressInterval = TimeSpan.FromSeconds(Number(args, ref i, 0)) },
                "--connect-config" => options with { ConnectConfig = Value(args, ref i) },
                "--endpoint-config" => options with { EndpointConfig = Value(args, ref i) },
                "--silo-config" => options with { SiloConfig = Value(args, ref i) },
                var other => throw new ArgumentException($"unknown argument \"{other}\""),
            };
        }

        if (options.From is null)
        {
            throw new ArgumentException("import-autopush needs --from redis://HOST:PORT[/DB], the autopush database");
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{args[i]} needs a value");
        }

        return args[++i];
    }

    private static long Number(IReadOnlyList<string> args, ref int i, long minimum)
    {
        var name = args[i];
        var text = Value(args, ref i);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new ArgumentException($"{name} takes a whole number of at least {minimum}, not \"{text}\"");
    }
}
