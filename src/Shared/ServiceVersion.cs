using System.Reflection;

namespace Push.Shared;

/// <summary>The version and commit Push reports on its health routes and in <c>push_build_info</c>.</summary>
public static class ServiceVersion
{
    private static readonly string Informational =
        typeof(ServiceVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Current { get; } = Informational.Split('+')[0];

    /// <summary>
    /// <c>PUSH_COMMIT</c> when set (an image built without its Git folder), else the commit the SDK
    /// wrote after the '+' of the informational version, else "unknown".
    /// </summary>
    public static string Commit { get; } =
        Environment.GetEnvironmentVariable("PUSH_COMMIT") is { Length: > 0 } commit ? commit
        : Informational.Split('+') is [_, var built, ..] && built.Length > 0 ? built
        : "unknown";
}
