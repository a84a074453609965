using System.Globalization;
using System.Text.RegularExpressions;
using Push.Shared;
using Push.Silo.Commands;
using Push.Silo.Hosting;

namespace Push.Deploy.Tests.Checks;

/// <summary>A container health check of the Push image, checked against what the process of its container serves.</summary>
internal static partial class HealthChecks
{
    /// <summary>
    /// What is wrong with a health check that runs <paramref name="command"/> in a container whose
    /// process runs with <paramref name="configuration"/>: it must be the image's entry point running
    /// <c>healthcheck</c>, name the container's role (or none), and ask a health route on an internal
    /// port that process listens on; Docker must give it longer than it waits for an answer.
    /// </summary>
    public static List<string> Problems(string where, IReadOnlyList<string> command, PushConfiguration configuration, TimeSpan timeout)
    {
        var problems = new List<string>();
        var entryPoint = DockerImage.Repository.EntryPoint;
        if (!command.Take(entryPoint.Count).SequenceEqual(entryPoint) || command.ElementAtOrDefault(entryPoint.Count) != HealthcheckCommand.Name)
        {
            problems.Add($"{where}: the health check must run {string.Join(' ', entryPoint)} {HealthcheckCommand.Name} (the image has no shell or curl), not {string.Join(' ', command)}");
            return problems;
        }

        var probe = HealthcheckCommand.Parse(command.Skip(entryPoint.Count + 1).ToList());
        if (probe.RoleGiven && probe.CommandLine.Role != configuration.Role)
        {
            problems.Add($"{where}: the health check asks the {probe.CommandLine.Role} role, but the container runs {configuration.Role}");
        }

        var internalPorts = HostPorts.Http(configuration).Where(p => p.Name is HostPorts.Router or HostPorts.Health).Select(p => p.Number).ToList();
        var asked = HealthcheckCommand.Targets(configuration, probe.RoleGiven, probe.Path);
        if (!asked.Any(u => internalPorts.Contains(u.Port)) || !HealthPaths.All.Contains(probe.Path))
        {
            problems.Add($"{where}: the health check asks {string.Join(", ", asked)}; the {configuration.Role} role serves {string.Join(", ", HealthPaths.All)} on port {string.Join(", ", internalPorts)}");
        }

        if (timeout <= HealthcheckCommand.RequestTimeout)
        {
            problems.Add($"{where}: a health check timeout of {timeout.TotalSeconds} s does not leave Push the {HealthcheckCommand.RequestTimeout.TotalSeconds} s it waits for an answer");
        }

        return problems;
    }

    /// <summary>A Docker duration (<c>30s</c>, <c>1m30s</c>, <c>500ms</c>).</summary>
    public static TimeSpan Duration(string? text)
    {
        var total = TimeSpan.Zero;
        foreach (Match part in DurationPart().Matches(text ?? string.Empty))
        {
            var value = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "ms" => TimeSpan.FromMilliseconds(value),
                _ => TimeSpan.FromSeconds(value),
            };
        }

        return total;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|h|m|s)")]
    private static partial Regex DurationPart();
}
