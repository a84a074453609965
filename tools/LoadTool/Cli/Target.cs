using System.Net;

namespace Push.LoadTool.Cli;

/// <summary>
/// Where the service under test listens. Loopback unless <c>--allow-remote</c> is given, so a
/// mistyped address cannot aim a load run at somebody else's server.
/// </summary>
public sealed record Target(Uri WebSocket, Uri PushApi)
{
    public const string Help = """
          --ws URL            WebSocket (connect frontend) URL        [ws://127.0.0.1:8080/]
          --push-url URL      origin of the push API (endpoint port); the endpoints handed out at
                              register are sent here, whatever host they name [http://127.0.0.1:8000]
          --allow-remote      allow addresses other than loopback
        """;

    public Uri Health => new(PushApi, "/health");

    public static Target From(Arguments args)
    {
        var ws = new Uri(args.Text("ws", "ws://127.0.0.1:8080/"));
        var push = new Uri(args.Text("push-url", "http://127.0.0.1:8000"));
        if (ws.Scheme is not ("ws" or "wss"))
        {
            throw new ArgumentException($"--ws must be a ws:// or wss:// URL, not \"{ws}\"");
        }

        if (push.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"--push-url must be an http:// or https:// URL, not \"{push}\"");
        }

        if (!args.Flag("allow-remote"))
        {
            foreach (var uri in new[] { ws, push })
            {
                if (!IsLoopback(uri.Host))
                {
                    throw new ArgumentException($"{uri.Host} is not a loopback address; add --allow-remote to load a remote service");
                }
            }
        }

        return new Target(ws, push);
    }

    /// <summary>
    /// The URL to POST to for an endpoint the service handed out: its path on <see cref="PushApi"/>.
    /// The service names itself as "localhost" by default, which costs an IPv6 attempt per new connection.
    /// </summary>
    public Uri PushUrl(string endpoint) => new(PushApi, new Uri(endpoint).PathAndQuery);

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
