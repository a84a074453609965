using Microsoft.Extensions.Logging;
using Push.Shared.Logging;
using Push.Silo.Hosting;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

/// <summary>
/// What reaches the console provider: the message, each value a JSON line lists, and the exception's
/// whole text (inner ones too) with every id masked; the start-up summary left as it is.
/// </summary>
public sealed class RedactingLoggerProviderTests
{
    private static readonly Guid Uaid = Guid.NewGuid();
    private static readonly string Masked = "client/" + LogRedaction.Marker + LogIds.Hash(Uaid);

    [Fact]
    public void Log_RuntimeExceptionNamingTheGrain_MessageValuesAndExceptionMasked()
    {
        var logs = new CapturedLogs();
        using var provider = new RedactingLoggerProvider(logs, StartupSummary.Category);
        var inner = new InvalidOperationException($"Activation of client/{Uaid:D} failed");
        var exception = new TimeoutException($"Response did not arrive on time for message: Request ->[client/{Uaid:N}]", inner);

        KeyValuePair<string, object?>[] state = [new("GrainId", $"client/{Uaid:N}")];

        provider.CreateLogger("Orleans.Runtime.CallbackData").Log(LogLevel.Warning, default, state, exception, (_, _) => $"Call to client/{Uaid:N} timed out");

        var (_, _, message) = Assert.Single(logs.Entries);
        Assert.Equal("Call to " + Masked + " timed out", message);
        var (_, logged) = Assert.Single(logs.Exceptions);
        Assert.Contains(Masked, logged.Message, StringComparison.Ordinal);
        Assert.Contains(Masked, logged.ToString(), StringComparison.Ordinal);
        Assert.Contains(nameof(TimeoutException), logged.ToString(), StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), logged.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Uaid.ToString("N"), logged.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Uaid.ToString("D"), logged.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Log_StructuredValues_IdsMaskedOtherValuesKeepTheirType()
    {
        var logs = new Structured();
        using var provider = new RedactingLoggerProvider(logs, StartupSummary.Category);

        KeyValuePair<string, object?>[] state = [new("Grain", Uaid), new("Count", 3), new("Name", $"client/{Uaid:N}")];

        provider.CreateLogger("Push.Sessions").Log(LogLevel.Information, default, state, null, (_, _) => "m");

        var values = Assert.Single(logs.Values);
        Assert.Equal(LogRedaction.Marker + LogIds.Hash(Uaid), values["Grain"]);
        Assert.Equal(3, values["Count"]);
        Assert.Equal(Masked, values["Name"]);
    }

    [Fact]
    public void Log_StartupSummaryCategory_LeftAsItIs()
    {
        var logs = new CapturedLogs();
        using var provider = new RedactingLoggerProvider(logs, StartupSummary.Category);

        provider.CreateLogger(StartupSummary.Category).Log(LogLevel.Information, default, 0, null, (_, _) => $"data_dir /srv/{Uaid:N}");

        Assert.Equal($"data_dir /srv/{Uaid:N}", Assert.Single(logs.Entries).Message);
    }

    /// <summary>Keeps the values each entry lists, as a JSON formatter reads them.</summary>
    private sealed class Structured : ILoggerProvider, ILogger
    {
        public List<Dictionary<string, object?>> Values { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Values.Add(((IReadOnlyList<KeyValuePair<string, object?>>)state!).ToDictionary(kv => kv.Key, kv => kv.Value));

        public void Dispose()
        {
        }
    }
}
