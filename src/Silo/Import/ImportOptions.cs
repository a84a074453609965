using System.Globalization;

namespace Push.Silo.Import;

/// <summary>The command line of <c>import-autopush</c>.</summary>
internal sealed record ImportOptions
{
    public const string Usage = """
        Usage: Push.Silo import-autopush --from redis://HOST:PORT[/DB] [options]
          Copies the users of an autopush-rs Redis or Valkey database into Push's store: each user with
          its channels and the messages still waiting for it (TTL, topic and timestamps kept). Clients
          then connect with their old UAID, and the endpoints autopush handed out keep working, as long
          as Push runs with autopush's crypto_key. The source is only read, never changed.
          The store written is the one Push is configured with: db_dsn, or the embedded store in data_dir
          (then Push must not be running on that data_dir).
          Running it again is safe: users Push already has are left as they are, and an interrupted run
          continues where it stopped.
        Options:
          --from URL                 the autopush database: redis://[user:password@]host[:port][/db], or rediss://
          --dry-run                  read and count everything, write nothing
          --max-users N              stop after N users (run again to continue)
          --progress-interval SECS   how often to report progress (default 10; 0: after every batch)
          --connect-config FILE      autoconnect TOML settings (crypto_key, db_dsn, msg_limit)
          --endpoint-config FILE     autoendpoint TOML settings (crypto_keys, db_dsn)
          --silo-config FILE         Push's own host settings (data_dir, max_channels)
          -h, --help                 show this help
        Environment variables AUTOCONNECT__*, AUTOEND__* (or AUTOENDPOINT__*) and PUSH__* override the files.
        """;

    public string? From { get; init; }
    public bool DryRun { get; init; }
    public long? MaxUsers { get; init; }
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);
    public string? ConnectConfig { get; init; }
    public string? EndpointConfig { get; init; }
    public string? SiloConfig { get; init; }
    public bool Help { get; init; }

    /// <exception cref="ArgumentException">An argument is unknown, lacks its value, or <c>--from</c> is missing.</exception>
    public static ImportOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ImportOptions();
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "-h" or "--help" => options with { Help = true },
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

        if (options.From is null && !options.Help)
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
