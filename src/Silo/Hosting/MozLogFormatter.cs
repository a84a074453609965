using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Push.Shared;

namespace Push.Silo.Hosting;

/// <summary>
/// MozLog JSON lines, the format autopush writes when <c>human_logs</c> is off, so that log
/// pipelines built for it read Push unchanged: <c>Timestamp</c> (nanoseconds since the epoch),
/// <c>Type</c> (<c>{name}:log</c>), <c>Logger</c> (<c>{name}-{version}</c>), <c>Hostname</c>,
/// <c>EnvVersion</c> (2.0, MozLog's own), <c>Severity</c> (syslog's numbers), <c>Pid</c>, and
/// <c>Fields</c>: <c>msg</c>, the entry's named values in snake_case, <c>category</c>, and
/// <c>error</c> with an exception.
/// </summary>
internal sealed class MozLogFormatter(TimeProvider time, string name) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "push-mozlog";
    private const string OriginalFormat = "{OriginalFormat}";

    /// <summary>Fields the formatter writes itself; an entry's value of the same name is left out.</summary>
    private static readonly HashSet<string> OwnFields = new(StringComparer.Ordinal) { "msg", "category", "error" };
    private static readonly string Hostname = Environment.MachineName;
    private static readonly int Pid = Environment.ProcessId;

    /// <summary>autopush's names where a role stands in for one of its programs; Push's own otherwise.</summary>
    public static string NameOf(HostRole role) => role switch
    {
        HostRole.Connect => "autoconnect",
        HostRole.Endpoint => "autoendpoint",
        HostRole.Silo => "push-silo",
        _ => "push",
    };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("Timestamp", (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100);
            json.WriteString("Type", name + ":log");
            json.WriteString("Logger", name + "-" + ServiceVersion.Current);
            json.WriteString("Hostname", Hostname);
            json.WriteString("EnvVersion", "2.0");
            json.WriteNumber("Severity", Severity(logEntry.LogLevel));
            json.WriteNumber("Pid", Pid);
            json.WriteStartObject("Fields");
            json.WriteString("msg", message);
            json.WriteString("category", logEntry.Category);
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values.Where(v => v.Key != OriginalFormat))
                {
                    var field = SnakeCase(key);
                    if (!OwnFields.Contains(field))
                    {
                        WriteValue(json, field, value);
                    }
                }
            }

            if (logEntry.Exception is { } exception)
            {
                json.WriteString("error", exception.ToString());
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        textWriter.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>syslog's severities, as autopush maps its levels.</summary>
    private static int Severity(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int or long or short or byte or uint or ulong or ushort or decimal:
                json.WriteNumber(key, Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(key, d);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumber(key, f);
                break;
            default:
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary><c>UaidHash</c> → <c>uaid_hash</c>: autopush's field names.</summary>
    internal static string SnakeCase(string key)
    {
        var text = new StringBuilder(key.Length + 4);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(key[i - 1]) || (i + 1 < key.Length && char.IsLower(key[i + 1]) && char.IsUpper(key[i - 1]))))
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
