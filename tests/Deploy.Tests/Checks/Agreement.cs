using Push.Shared.Settings;
using Push.Silo.Hosting;

namespace Push.Deploy.Tests.Checks;

/// <summary>What the processes of one deployment must agree on to work together.</summary>
internal static class Agreement
{
    public static List<string> Problems(IReadOnlyList<(string Name, PushConfiguration Configuration)> processes)
    {
        var problems = new List<string>();
        Same(processes, "the store (db_dsn)", c => c.DbDsn, problems);
        Same(processes, "the cluster (service_id, cluster_id)", c => $"{c.Silo.ServiceId}/{c.Silo.ClusterId}", problems);

        // What the connect frontends hand out is what senders call and sign VAPID tokens for: the
        // endpoint frontends must take that origin as their own.
        var handedOut = processes.Where(p => p.Configuration.Role is HostRole.Connect or HostRole.All)
            .Select(p => UrlFormat.Origin(new Uri(EndpointUrls.Base(p.Configuration)))).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, configuration) in processes.Where(p => p.Configuration.Role is HostRole.Endpoint))
        {
            var accepted = EndpointUrls.Audiences(configuration);
            foreach (var origin in handedOut.Where(o => !accepted.Contains(o)))
            {
                problems.Add($"{name}: endpoints are handed out as {origin}, but the endpoint frontend accepts VAPID tokens for {string.Join(", ", accepted)} only (set AUTOEND__ENDPOINT_URL): VAPID pushes would be refused");
            }
        }

        if (!processes.Any(p => p.Configuration.Role is HostRole.Silo or HostRole.All))
        {
            problems.Add("no process runs a silo");
        }

        return problems;
    }

    private static void Same(IReadOnlyList<(string Name, PushConfiguration Configuration)> processes, string what, Func<PushConfiguration, string?> value, List<string> problems)
    {
        var values = processes.Select(p => value(p.Configuration)).Distinct().ToList();
        if (values.Count > 1)
        {
            problems.Add($"the processes do not share {what}: {string.Join(", ", values)}");
        }
    }
}
