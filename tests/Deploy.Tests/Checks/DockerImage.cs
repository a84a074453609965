using System.Text.Json;
using System.Text.RegularExpressions;
using Push.Deploy.Tests.Manifests;

namespace Push.Deploy.Tests.Checks;

/// <summary>What the Dockerfile's final stage says: its name, ports, environment, entry point.</summary>
internal sealed partial record DockerImage(string? Name, IReadOnlySet<int> Exposed, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> EntryPoint, IReadOnlyList<string> Command, string? User, DockerHealthcheck? Healthcheck)
{
    /// <summary>The image name every deployment file uses (with a registry in front, or not).</summary>
    public const string Title = "push";

    public static DockerImage Read(string path)
    {
        var lines = Instructions(File.ReadAllText(path));
        var final = lines.Skip(lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase))).ToList();
        string? name = null, user = null;
        var exposed = new HashSet<int>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyList<string> entry = [], command = [];
        DockerHealthcheck? healthcheck = null;
        foreach (var line in final)
        {
            var (instruction, rest) = (line.Split(' ', 2)[0].ToUpperInvariant(), line.Split(' ', 2).ElementAtOrDefault(1)?.Trim() ?? string.Empty);
            switch (instruction)
            {
                case "LABEL":
                    name = KeyValues().Matches(rest).Where(m => m.Groups[1].Value == "org.opencontainers.image.title").Select(m => m.Groups[2].Value.Trim('"')).FirstOrDefault() ?? name;
                    break;
                case "EXPOSE":
                    exposed.UnionWith(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case "ENV":
                    foreach (Match m in KeyValues().Matches(rest))
                    {
                        environment[m.Groups[1].Value] = m.Groups[2].Value.Trim('"');
                    }

                    break;
                case "ENTRYPOINT":
                    entry = JsonSerializer.Deserialize<List<string>>(rest)!;
                    break;
                case "CMD":
                    command = JsonSerializer.Deserialize<List<string>>(rest)!;
                    break;
                case "USER":
                    user = rest;
                    break;
                case "HEALTHCHECK":
                    healthcheck = DockerHealthcheck.Parse(rest);
                    break;
            }
        }

        return new DockerImage(name, exposed, environment, entry, command, user, healthcheck);
    }

    public static DockerImage Repository => Read(RepoFiles.Dockerfile);

    // Comments dropped, continuation lines joined: one instruction a line.
    private static List<string> Instructions(string text) =>
        text.Replace("\\\n", " ", StringComparison.Ordinal)
            .Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => Regex.Replace(l, @"\s+", " "))
            .ToList();

    [GeneratedRegex("""([A-Za-z0-9_.\-]+)=("[^"]*"|\S*)""")]
    private static partial Regex KeyValues();
}

/// <summary>A HEALTHCHECK instruction: its options (<c>--timeout=10s</c>) and its command, exec form (JSON) or shell form.</summary>
internal sealed record DockerHealthcheck(IReadOnlyDictionary<string, string> Options, IReadOnlyList<string>? ExecCommand, string? ShellCommand)
{
    public static DockerHealthcheck Parse(string rest)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = rest.Split(' ', 2);
        while (words[0].StartsWith("--", StringComparison.Ordinal))
        {
            var option = words[0][2..].Split('=', 2);
            options[option[0]] = option.ElementAtOrDefault(1) ?? string.Empty;
            words = words[1].Split(' ', 2);
        }

        // "CMD [json]" runs without a shell; "CMD text" needs /bin/sh.
        var command = words.ElementAtOrDefault(1)?.Trim() ?? string.Empty;
        return words[0] == "CMD" && command.StartsWith('[')
            ? new DockerHealthcheck(options, JsonSerializer.Deserialize<List<string>>(command), null)
            : new DockerHealthcheck(options, null, $"{words[0]} {command}".Trim());
    }
}
