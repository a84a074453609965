using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace Push.Silo.Hosting;

/// <summary>
/// Recognises, in what the host threw while starting, the failures Push explains in one line: a port
/// taken after <see cref="StartupChecks"/> found it free, a store lost meanwhile.
/// </summary>
internal static partial class StartupFailure
{
    /// <summary>The one-line explanation of <paramref name="e"/>, or null when it is none of the known kinds.</summary>
    public static StartupException? Explain(Exception e, PushConfiguration configuration)
    {
        foreach (var inner in Chain(e))
        {
            switch (inner)
            {
                case StartupException known:
                    return known;
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse or SocketError.AccessDenied } socket:
                    var number = Chain(e).Select(x => BindFailure().Match(x.Message)).FirstOrDefault(m => m.Success) is { } match
                        ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
                        : (int?)null;
                    var port = HostPorts.Of(configuration).FirstOrDefault(p => p.Number == number);
                    return port is null
                        ? new StartupException(StartupFailureKind.PortInUse, $"Cannot listen on a port of this process: {socket.Message}", e)
                        : StartupChecks.PortProblem(port, socket);
                case RedisException or RedisTimeoutException:
                    return StartupChecks.StoreProblem(configuration, inner);
            }
        }

        return null;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        yield return e;
        var inner = e is AggregateException aggregate ? aggregate.InnerExceptions : e.InnerException is { } one ? [one] : [];
        foreach (var child in inner.SelectMany(Chain))
        {
            yield return child;
        }
    }

    // Kestrel's "Failed to bind to address http://[::]:8080: address already in use."
    [GeneratedRegex(@"Failed to bind to address .*:(\d+)")]
    private static partial Regex BindFailure();
}
