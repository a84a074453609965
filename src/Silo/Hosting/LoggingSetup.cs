using Microsoft.Extensions.Logging;

namespace Push.Silo.Hosting;

/// <summary>JSON lines by default, one readable line per entry with <c>human_logs</c>; the runtimes' chatter kept out.</summary>
internal static class LoggingSetup
{
    public static void Configure(ILoggingBuilder logging, PushConfiguration configuration, Action<ILoggingBuilder>? extra)
    {
        logging.ClearProviders();
        var human = configuration.Role switch
        {
            HostRole.Connect => configuration.Connect.HumanLogs,
            HostRole.Endpoint => configuration.Endpoint.HumanLogs,
            _ => configuration.Connect.HumanLogs || configuration.Endpoint.HumanLogs,
        };
        if (human)
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        }
        else
        {
            // The format ends in Z, so the time must be UTC whatever TZ the container has.
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }

        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Orleans", LogLevel.Warning);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging.AddFilter("Garnet", LogLevel.Warning);
        logging.AddFilter("GarnetServer", LogLevel.Warning);
        logging.AddFilter("Tsavorite", LogLevel.Warning);
        // The Redis providers' resilience pipelines log every attempt at Information: lines per grain activation.
        logging.AddFilter("Polly", LogLevel.Warning);
        extra?.Invoke(logging);
    }
}
