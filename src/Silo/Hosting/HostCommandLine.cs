namespace Push.Silo.Hosting;

/// <summary>What the process was asked to do: a role and the settings files for it.</summary>
public sealed record HostCommandLine(string Role, string? ConnectConfig, string? EndpointConfig, string? SiloConfig)
{
    public const string Usage = """
        Usage: Push.Silo [all|keys] [options]
          all (default)            the silo, the connect frontend and the endpoint frontend in one process
          keys                     print a new crypto key and auth key, ready for the settings
        Options:
          --connect-config FILE    autoconnect TOML settings (autoconnect.toml)
          --endpoint-config FILE   autoendpoint TOML settings (autoendpoint.toml)
          --silo-config FILE       Push's own host settings (data_dir, cluster ports)
        Environment variables AUTOCONNECT__*, AUTOEND__* (or AUTOENDPOINT__*) and PUSH__* override the files.
        """;

    public static HostCommandLine Parse(IReadOnlyList<string> args)
    {
        var role = "all";
        string? connect = null, endpoint = null, silo = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "all" or "keys" when i == 0:
                    role = arg;
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
                    throw new ArgumentException(
                        "--config names one component's file; in one process give --connect-config and --endpoint-config (and --silo-config)");
                default:
                    throw new ArgumentException($"unknown argument \"{arg}\"");
            }
        }

        return new HostCommandLine(role, connect, endpoint, silo);
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
