using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Push.Shared;
using Push.Silo.Hosting;
using Push.Testing;

namespace Push.Silo.Tests.Hosting;

public sealed class MozLogFormatterTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 5, TimeSpan.Zero);

    [Fact]
    public void Write_Warning_IsOneLineWithAutopushsFieldsAndSyslogSeverity()
    {
        var line = Write(LogLevel.Warning, "Push.ConnectFrontend.Session", "Grain call 'hello' failed", []);

        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var entry = JsonDocument.Parse(line);
        var root = entry.RootElement;
        Assert.Equal(["Timestamp", "Type", "Logger", "Hostname", "EnvVersion", "Severity", "Pid", "Fields"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal((Noon - DateTimeOffset.UnixEpoch).Ticks * 100, root.GetProperty("Timestamp").GetInt64());
        Assert.Equal("autoconnect:log", root.GetProperty("Type").GetString());
        Assert.Equal($"autoconnect-{ServiceVersion.Current}", root.GetProperty("Logger").GetString());
        Assert.Equal(Environment.MachineName, root.GetProperty("Hostname").GetString());
        Assert.Equal("2.0", root.GetProperty("EnvVersion").GetString());
        Assert.Equal(4, root.GetProperty("Severity").GetInt32());
        Assert.Equal(Environment.ProcessId, root.GetProperty("Pid").GetInt32());
        Assert.Equal("Grain call 'hello' failed", root.GetProperty("Fields").GetProperty("msg").GetString());
        Assert.Equal("Push.ConnectFrontend.Session", root.GetProperty("Fields").GetProperty("category").GetString());
    }

    [Fact]
    public void Write_StructuredEntry_FieldsAreSnakeCaseAndKeepTheirTypes()
    {
        var line = Write(LogLevel.Information, "Push.ConnectFrontend.Session", "Session uaid_hash=ab12", [
            new("UaidHash", "ab12"), new("ExistingUaid", true), new("ConnectionTime", 12L), new("{OriginalFormat}", "Session uaid_hash={UaidHash}")]);

        using var entry = JsonDocument.Parse(line);
        var fields = entry.RootElement.GetProperty("Fields");
        Assert.Equal(6, entry.RootElement.GetProperty("Severity").GetInt32());
        Assert.Equal("ab12", fields.GetProperty("uaid_hash").GetString());
        Assert.True(fields.GetProperty("existing_uaid").GetBoolean());
        Assert.Equal(12, fields.GetProperty("connection_time").GetInt64());
        Assert.False(fields.TryGetProperty("{OriginalFormat}", out _));
    }

    [Fact]
    public void Write_Exception_IsInFieldsError()
    {
        var line = Write(LogLevel.Error, "Push", "Session failed", [], new InvalidOperationException("broken"));

        using var entry = JsonDocument.Parse(line);
        Assert.Equal(3, entry.RootElement.GetProperty("Severity").GetInt32());
        Assert.StartsWith("System.InvalidOperationException: broken", entry.RootElement.GetProperty("Fields").GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HostRole.Connect, "autoconnect")]
    [InlineData(HostRole.Endpoint, "autoendpoint")]
    [InlineData(HostRole.Silo, "push-silo")]
    [InlineData(HostRole.All, "push")]
    public void NameOf_Role_IsAutopushsProgramItStandsFor(HostRole role, string name) => Assert.Equal(name, MozLogFormatter.NameOf(role));

    private static string Write(LogLevel level, string category, string message, List<KeyValuePair<string, object?>> state, Exception? exception = null)
    {
        var clock = new ManualTimeProvider();
        clock.Advance(Noon - DateTimeOffset.UnixEpoch);
        var formatter = new MozLogFormatter(clock, "autoconnect");
        using var output = new StringWriter { NewLine = "\n" };
        formatter.Write(new LogEntry<List<KeyValuePair<string, object?>>>(level, category, default, state, exception, (_, _) => message), null, output);
        return output.ToString();
    }
}
