using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Push.Silo.Commands;

/// <summary>
/// <c>try [ws-url]</c>: acts as a phone and as an app server against a running Push — subscribes over
/// the WebSocket, pushes to the endpoint it got, and waits for the message to arrive — so a person
/// sees the whole path work, and gets the <c>curl</c> line that pushes to that subscription again.
/// </summary>
public static class TryCommand
{
    public const string Name = "try";
    public const string DefaultUrl = "ws://localhost:8080/";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static PushCommand Command { get; } = new(Name, "[WS-URL]", $"subscribe, push and receive once against a running Push (default {DefaultUrl})",
        context => RunAsync(context.Args, context.Out, TimeProvider.System),
        "Acts as a phone (WebSocket) and as an app server (HTTP POST) at once, and prints the curl line that pushes to the subscription.\nExits 1 when any step fails.");

    /// <summary>The argument that makes <c>try</c> reach <paramref name="webSocketUrl"/> (none for the default).</summary>
    public static string ArgumentFor(string webSocketUrl) => webSocketUrl == DefaultUrl ? string.Empty : webSocketUrl;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TimeProvider time)
    {
        if (args.Count > 1 || (args.Count == 1 && !Uri.TryCreate(args[0], UriKind.Absolute, out _)))
        {
            throw new ArgumentException("try takes at most one argument, the WebSocket URL (default " + DefaultUrl + ")");
        }

        var url = new Uri(args.Count == 1 ? args[0] : DefaultUrl);
        using var timeout = new CancellationTokenSource(Timeout);
        using var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
            await SendAsync(socket, new JsonObject { ["messageType"] = "hello", ["use_webpush"] = true }, timeout.Token);
            var hello = await ReceiveAsync(socket, "hello", timeout.Token);
            var channel = Guid.NewGuid().ToString();
            await SendAsync(socket, new JsonObject { ["messageType"] = "register", ["channelID"] = channel }, timeout.Token);
            var endpoint = (string?)(await ReceiveAsync(socket, "register", timeout.Token))["pushEndpoint"]
                ?? throw new InvalidOperationException("the register answer has no pushEndpoint");
            output.WriteLine($"Subscribed as a new client ({(string?)hello["uaid"]}) at {url}");
            output.WriteLine($"  endpoint: {endpoint}");

            var sent = time.GetTimestamp();
            using var http = new HttpClient { Timeout = Timeout };
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
            request.Headers.Add("TTL", "60");
            using var response = await http.SendAsync(request, timeout.Token);
            output.WriteLine($"Pushed to it: {(int)response.StatusCode} {response.ReasonPhrase}");
            if (!response.IsSuccessStatusCode)
            {
                output.WriteLine(await response.Content.ReadAsStringAsync(timeout.Token));
                return 1;
            }

            var notification = await ReceiveAsync(socket, "notification", timeout.Token);
            output.WriteLine($"Received on the WebSocket after {time.GetElapsedTime(sent).TotalMilliseconds:0} ms. Push works.");
            await SendAsync(socket, new JsonObject { ["messageType"] = "ack", ["updates"] = new JsonArray(new JsonObject { ["channelID"] = channel, ["version"] = (string?)notification["version"] }) }, timeout.Token);
            await SendAsync(socket, new JsonObject { ["messageType"] = "unregister", ["channelID"] = channel }, timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            output.WriteLine("An app server pushes the same way, for example:");
            output.WriteLine($"  curl -X POST -H 'TTL: 60' {endpoint}");
            return 0;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException or InvalidOperationException or JsonException)
        {
            output.WriteLine($"push: try failed at {url}: {(e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message)}");
            return 1;
        }
    }

    private static Task SendAsync(ClientWebSocket socket, JsonObject message, CancellationToken cancellation) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellation);

    /// <summary>The next message of <paramref name="type"/> (pings and other types are skipped).</summary>
    private static async Task<JsonObject> ReceiveAsync(ClientWebSocket socket, string type, CancellationToken cancellation)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            using var text = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException($"the server closed the WebSocket ({socket.CloseStatus} {socket.CloseStatusDescription})");
                }

                text.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (JsonNode.Parse(text.ToArray()) is JsonObject message && (string?)message["messageType"] == type)
            {
                return message;
            }
        }
    }
}
