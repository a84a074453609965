namespace Push.Silo.Hosting;

/// <summary>What the process was asked to do: a role (or the keys command) and the settings files for it.</summary>
public sealed record HostCommandLine(string Command, string? ConnectConfig, string? EndpointConfig, string? SiloConfig)
{
    public const string Usage = """
        Usage: Push.Silo [all|silo|connect|endpoint|keys|try] [options]
          all (default)            the silo, the connect frontend and the endpoint frontend in one process
          silo                     only the silo (grains and storage); needs db_dsn
          connect                  only the WebSocket frontend (like autoconnect); needs db_dsn and crypto_key
          endpoint                 only the WebPush API (like autoendpoint); needs db_dsn and crypto_keys
          keys                     print a new crypto key and auth key, ready for the settings
          try [WS-URL]             subscribe, push and receive once against a running Push (default ws://localhost:8080/)
          import-autopush --from redis://HOST:PORT[/DB]
                                   copy the users, channels and pending messages of autopush-rs (import-autopush --help)
        Options:
          --config FILE            the settings file of the role (connect, endpoint or silo)
          --connect-config FILE    autoconnect TOML settings (autoconnect.toml)
          --endpoint-config FILE   autoendpoint TOML settings (autoendpoint.toml)
          --silo-config FILE       Push's own host settings (data_dir, cluster ports)
        Environment variables AUTOCONNECT__*, AUTOEND__* (or AUTOENDPOINT__*) and PUSH__* override the files.
        """;

    public HostRole Role => Command switch
    {
        "silo" => HostRole.Silo,
        "connect" => HostRole.Connect,
        "endpoint" => HostRole.Endpoint,
        _ => HostRole.All,
    };

    public static HostCommandLine Parse(IReadOnlyList<string> args)
    {
        var command = "all";
        string? connect = null, endpoint = null, silo = null, own = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "all" or "silo" or "connect" or "endpoint" or "keys" when i == 0:
                    command = arg;
                    break;
                case "--connect-config":
                    connect = Value(args, ref i);
                    break;
                case "--endpoint-config":
                    endpoint = Value(args, ref i);
                    break;
                case "--silo-config":
                    silo = Value(args, ref i);
                    break;
                case "-c" or "--config":
                    own = Value(args, ref i);
                    break;
                default:
                    throw new ArgumentException($"unknown argument \"{arg}\"");
            }
        }

        switch (command, own)
        {
            case (_, null):
                break;
            case ("connect", _):
                connect = own;
                break;
            case ("endpoint", _):
                endpoint = own;
                break;
            case ("silo", _):
                silo = own;
                break;
            default:
                throw new ArgumentException(
                    "--config names one role's file; in one process give --connect-config and --endpoint-config (and --silo-config)");
        }

        return new HostCommandLine(command, connect, endpoint, silo);
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{args[i]} needs a file name");
        }

        return args[++i];
    }
}
