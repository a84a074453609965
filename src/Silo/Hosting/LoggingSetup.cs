using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Push.Silo.Hosting;

/// <summary>
/// Readable lines on a terminal, JSON lines where a machine reads them (<c>human_logs</c> decides when
/// set), or the format <c>log_format</c> names (human, json, mozlog); the runtimes' chatter kept out,
/// and no user or channel id in any line.
/// </summary>
internal static class LoggingSetup
{
    public static void Configure(ILoggingBuilder logging, PushConfiguration configuration, Action<ILoggingBuilder>? extra, StartupLogGate? gate = null)
    {
        logging.ClearProviders();
        switch (Format(configuration))
        {
            case LogFormat.Human:
                logging.AddConsole(o => o.FormatterName = HumanLogFormatter.Name);
                logging.Services.AddSingleton<ConsoleFormatter>(new HumanLogFormatter(TimeProvider.System));
                break;
            case LogFormat.MozLog:
                logging.AddConsole(o => o.FormatterName = MozLogFormatter.FormatterName);
                logging.Services.AddSingleton<ConsoleFormatter>(new MozLogFormatter(TimeProvider.System, MozLogFormatter.NameOf(configuration.Role)));
                break;
            default:
                // The format ends in Z, so the time must be UTC whatever TZ the container has.
                logging.AddJsonConsole(o =>
                {
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.UseUtcTimestamp = true;
                });
                break;
        }

        WrapConsole(logging.Services, gate ?? new StartupLogGate());
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Orleans", LogLevel.Warning);
        // Kestrel's "Now listening on" lines included: Push says where it listens, in its own words.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Garnet", LogLevel.Warning);
        logging.AddFilter("GarnetServer", LogLevel.Warning);
        logging.AddFilter("Tsavorite", LogLevel.Warning);
        // The Redis providers' resilience pipelines log every attempt at Information: lines per grain activation.
        logging.AddFilter("Polly", LogLevel.Warning);
        extra?.Invoke(logging);
    }

    /// <summary><c>log_format</c> when given; otherwise readable lines or JSON, as <see cref="HumanLogs"/> says.</summary>
    public static LogFormat Format(PushConfiguration configuration) =>
        configuration.Silo.LogFormat ?? (HumanLogs(configuration) ? LogFormat.Human : LogFormat.Json);

    /// <summary><c>human_logs</c> when given (either section's <c>true</c> wins in one process); otherwise whether a person is watching.</summary>
    public static bool HumanLogs(PushConfiguration configuration)
    {
        var setting = configuration.Role switch
        {
            HostRole.Connect => configuration.Connect.HumanLogs,
            HostRole.Endpoint => configuration.Endpoint.HumanLogs,
            _ => configuration.Connect.HumanLogs == true || configuration.Endpoint.HumanLogs == true
                ? true
                : configuration.Connect.HumanLogs ?? configuration.Endpoint.HumanLogs,
        };
        return setting ?? !Console.IsOutputRedirected;
    }

    private static void WrapConsole(IServiceCollection services, StartupLogGate gate)
    {
        var console = services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        services.Remove(console);
        // The known false warnings are told apart by what they hold; ids are masked after that.
        services.AddSingleton<ILoggerProvider>(sp => new ConsoleFilterProvider(
            new RedactingLoggerProvider(
                new ConsoleLoggerProvider(sp.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), sp.GetServices<ConsoleFormatter>()),
                StartupSummary.Category),
            TimeProvider.System,
            gate));
    }
}
