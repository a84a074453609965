namespace Push.Silo.Hosting;

/// <summary>What the process was asked to run: a role and the settings files for it.</summary>
public sealed record HostCommandLine(string Command, string? ConnectConfig, string? EndpointConfig, string? SiloConfig)
{
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
                case "all" or "silo" or "connect" or "endpoint" when i == 0:
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
