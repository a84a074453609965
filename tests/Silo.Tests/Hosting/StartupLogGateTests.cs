using Microsoft.Extensions.Logging;
using Push.Silo.Hosting;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

public sealed class StartupLogGateTests
{
    private const string Host = "Microsoft.Extensions.Hosting.Internal.Host";

    [Fact]
    public void Log_WhileOpen_PassesEntriesOfEveryComponent()
    {
        var gate = new StartupLogGate();

        var logs = Log(gate, ("Orleans.Runtime.Silo", 100439), ("Push", 1), (Host, 9));

        Assert.Equal(3, logs.Entries.Count);
    }

    [Fact]
    public void Log_HostsOwnReportOfAFailedStart_IsDropped()
    {
        // Push reports that exception itself, in one line or, when it is no known kind, whole.
        var logs = Log(new StartupLogGate(), (Host, 11));

        Assert.Empty(logs.Entries);
    }

    [Fact]
    public void Log_OnceClosed_DropsWhatTheStoppingComponentsSay()
    {
        var gate = new StartupLogGate();
        gate.Close();

        var logs = Log(gate, ("Orleans.Runtime.SiloLifecycleSubject", 100450), ("Microsoft.AspNetCore.Server.Kestrel", 0), (Host, 10));

        Assert.Empty(logs.Entries);
    }

    private static CapturedLogs Log(StartupLogGate gate, params (string Category, int EventId)[] entries)
    {
        var captured = new CapturedLogs();
        using var provider = new ConsoleFilterProvider(captured, TimeProvider.System, gate);
        foreach (var (category, eventId) in entries)
        {
            provider.CreateLogger(category).Log(LogLevel.Error, new EventId(eventId), "failed", new InvalidOperationException("boom"), (s, _) => s);
        }

        return captured;
    }
}
