using System.Reflection;

namespace Push.Shared;

/// <summary>The version Push reports on its health routes.</summary>
public static class ServiceVersion
{
    public static string Current { get; } =
        typeof(ServiceVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
