using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Push.Shared;
using Push.Shared.Settings;
using Push.Silo.Hosting;

namespace Push.Silo.Commands;

/// <summary>
/// <c>healthcheck [ROLE]</c>: asks the Push process of this machine (or container) for a health
/// route on its internal port, found from the same settings the process reads, and exits 0 when it
/// answers healthy, 1 otherwise. The image has no curl or shell; this is its container health check.
/// </summary>
public static class HealthcheckCommand
{
    public const string Name = "healthcheck";

    /// <summary>How long the process gets to answer (a container health check's timeout must be longer).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);

    public static PushCommand Command { get; } = new(Name, "[ROLE] [--path PATH] [options]",
        "exit 0 when the Push process of this machine answers its health route, else 1 (a container health check without curl)",
        RunAsync,
        $"""
        It asks http://127.0.0.1:PORT{HealthPaths.LoadBalancerHeartbeat} (or --path: {string.Join(", ", HealthPaths.All)}),
        PORT being the internal port of ROLE in the settings it is given, as the process itself reads them:
        router_port for all and connect, health_port for silo and endpoint (internal_host, when set, is asked
        instead of 127.0.0.1). Without ROLE it asks router_port, then health_port, so one health check serves
        every role. {HealthPaths.Health} and {HealthPaths.Status} count as healthy only when their status is OK.

        {RunCommand.Options}
        """);

    /// <summary>What to ask: the settings of the role, whether the role was named, and the route.</summary>
    public sealed record Probe(HostCommandLine CommandLine, bool RoleGiven, string Path);

    public static Probe Parse(IReadOnlyList<string> args)
    {
        var rest = args.ToList();
        var path = HealthPaths.LoadBalancerHeartbeat;
        var at = rest.IndexOf("--path");
        if (at >= 0)
        {
            if (at + 1 >= rest.Count || !HealthPaths.All.Contains(rest[at + 1]))
            {
                throw new ArgumentException($"--path takes a health route: {string.Join(", ", HealthPaths.All)}");
            }

            path = rest[at + 1];
            rest.RemoveRange(at, 2);
        }

        return new Probe(HostCommandLine.Parse(rest), rest.Count > 0 && !rest[0].StartsWith('-'), path);
    }

    /// <summary>The URLs asked, in order: the role's internal port, or without a role every role's.</summary>
    public static IReadOnlyList<Uri> Targets(PushConfiguration configuration, bool roleGiven, string path)
    {
        HostRole[] roles = roleGiven ? [configuration.Role] : [HostRole.All, HostRole.Silo];
        return roles
            .Select(role => HostPorts.Internal(configuration with { Role = role }))
            .Select(port => new Uri($"http://{Host(port.LocalAddress)}:{port.Number}{path}"))
            .Distinct()
            .ToList();
    }

    private static async Task<int> RunAsync(CommandContext context)
    {
        IReadOnlyList<Uri> targets;
        try
        {
            var probe = Parse(context.Args);
            var configuration = PushConfiguration.Read(PushSources.Load(probe.CommandLine, context.Environment), probe.CommandLine.Role);
            targets = Targets(configuration, probe.RoleGiven, probe.Path);
        }
        catch (Exception e) when (e is ArgumentException or SettingsException)
        {
            // Docker reserves exit code 2; anything but 0 is unhealthy.
            context.Out.WriteLine($"push: unhealthy: {e.Message}");
            return 1;
        }

        using var http = new HttpClient { Timeout = RequestTimeout };
        foreach (var target in targets)
        {
            string verdict;
            try
            {
                using var response = await http.GetAsync(target);
                verdict = await ProblemAsync(response) ?? string.Empty;
                if (verdict.Length == 0)
                {
                    context.Out.WriteLine($"push: healthy: {target} answered {(int)response.StatusCode}");
                    return 0;
                }
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                // Not this role's port: ask the next.
                continue;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                verdict = e is TaskCanceledException ? $"no answer within {RequestTimeout.TotalSeconds:0} s" : e.Message;
            }

            context.Out.WriteLine($"push: unhealthy: {target}: {verdict}");
            return 1;
        }

        context.Out.WriteLine($"push: unhealthy: nothing listens at {string.Join(" or ", targets)}");
        return 1;
    }

    /// <summary>Null when the answer says healthy: a success status and, for the JSON routes, status OK.</summary>
    private static async Task<string?> ProblemAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            return $"answered {(int)response.StatusCode}";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync();
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("status", out var status) && status.GetString() != "OK"
                ? $"answered {(int)response.StatusCode} with {body}"
                : null;
        }
        catch (JsonException)
        {
            return $"answered {(int)response.StatusCode} with a body that is not JSON";
        }
    }

    private static string Host(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
