namespace Push.Silo.Hosting;

/// <summary>How log entries are written to standard output (<c>log_format</c>).</summary>
public enum LogFormat
{
    /// <summary>One readable line an entry, for a person at a terminal.</summary>
    Human,

    /// <summary>ASP.NET Core's JSON lines (Timestamp, EventId, LogLevel, Category, Message, State).</summary>
    Json,

    /// <summary>MozLog JSON lines, as autopush writes them when <c>human_logs</c> is off.</summary>
    MozLog,
}
