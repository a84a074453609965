using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Push.Silo.Hosting;

/// <summary>
/// One line an entry for a person at a terminal: the local time (TZ), then Push's own Information
/// lines as they are, everything else with its level and where it comes from. No event ids.
/// </summary>
internal sealed class HumanLogFormatter(TimeProvider time) : ConsoleFormatter(Name)
{
    public new const string Name = "push-human";
    private const string PushCategory = "Push";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(time.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss ", System.Globalization.CultureInfo.InvariantCulture));
        var own = logEntry.Category == PushCategory || logEntry.Category.StartsWith(PushCategory + ".", StringComparison.Ordinal);
        if (logEntry.LogLevel != LogLevel.Information || !own)
        {
            textWriter.Write($"{Level(logEntry.LogLevel)} {logEntry.Category}: ");
        }

        textWriter.WriteLine(message.ReplaceLineEndings(" "));
        if (logEntry.Exception is { } exception)
        {
            textWriter.WriteLine(exception.ToString());
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };
}
