using Push.Shared.Settings;
using Push.Silo.Hosting;

namespace Push.Silo.Commands.Check;

/// <summary>
/// <c>check [ROLE]</c>: loads the settings as the role would at start (files and environment, every
/// check they get), without starting anything or writing any file, and prints them resolved with
/// secrets hidden, what they lead to (URLs, store, keys, ports), and every warning and error.
/// </summary>
public static class CheckCommand
{
    public const string Name = "check";

    public static PushCommand Command { get; } = new(Name, "[ROLE] [options]",
        "print the settings ROLE (default all) would start with, resolved and with secrets hidden; warn about unknown and unused ones; exit 1 on any error",
        context =>
        {
            var findings = Run(HostCommandLine.Parse(context.Args), context.Environment, TimeProvider.System);
            context.Out.Write(findings.Text);
            return Task.FromResult(findings.Errors.Count > 0 ? 1 : 0);
        },
        $"""
        It reads the same files and variables as ROLE and applies the same checks, so a configuration
        it passes starts (unless a port is taken or the store does not answer, which it does not try).
        Warnings: variables and file keys that no setting reads (with the setting they likely meant),
        settings accepted for compatibility that do nothing in Push, endpoint URLs that VAPID tokens
        cannot match, an expired certificate. Errors: every value Push would refuse at start,
        placeholders such as [CRYPTO_KEY] included. Exit code 0 without errors (warnings allowed), else 1.

        {RunCommand.Options}
        """);

    /// <summary>Checks the settings of <paramref name="commandLine"/>'s role in <paramref name="environment"/>.</summary>
    public static CheckFindings Run(HostCommandLine commandLine, IReadOnlyDictionary<string, string?> environment, TimeProvider time)
    {
        var warnings = new List<string>();
        var errors = new List<string>();
        PushSources? sources = null;
        PushConfiguration? resolved = null;
        Collect(() => sources = PushSources.Load(commandLine, environment), errors);
        if (sources is null)
        {
            return Findings(commandLine, [], null, warnings, errors);
        }

        warnings.AddRange(UnknownSettings.Warnings(sources));
        var (connect, endpoint, silo, problems) = PushConfiguration.ReadEach(sources);
        errors.AddRange(problems.SelectMany(p => p.Problems));
        warnings.AddRange(Unused(connect?.IgnoredSettings, sources.Connect)
            .Concat(Unused(endpoint?.IgnoredSettings, sources.Endpoint))
            .Concat(Unused(silo?.IgnoredSettings, sources.Silo)));
        if (silo is not null)
        {
            Collect(() => CheckCertificate(silo, time, warnings), errors);
        }

        if (connect is not null && endpoint is not null && silo is not null)
        {
            Collect(() => resolved = new PushConfiguration(connect, endpoint, silo) { Role = commandLine.Role }.Resolve(createKeyFile: false), errors);
        }

        if (resolved is not null && EndpointUrls.Problem(resolved) is { } urls)
        {
            warnings.Add(urls);
        }

        return Findings(commandLine,
        [
            new("Connect frontend", commandLine.ConnectConfig, ConnectSettings.EnvironmentPrefix, connect?.Resolved),
            new("Endpoint frontend", commandLine.EndpointConfig, EndpointSettings.EnvironmentPrefix, endpoint?.Resolved),
            new("Push's own", commandLine.SiloConfig, SiloSettings.EnvironmentPrefix, silo?.Resolved),
        ], resolved, warnings, errors);
    }

    private static CheckFindings Findings(HostCommandLine commandLine, IReadOnlyList<ComponentSettings> components, PushConfiguration? resolved, List<string> warnings, List<string> errors) =>
        new(new CheckReport(commandLine.Role).Write(components, resolved, warnings, errors), warnings, errors);

    private static void Collect(Action load, List<string> errors)
    {
        try
        {
            load();
        }
        catch (SettingsException e)
        {
            errors.AddRange(e.Problems);
        }
    }

    /// <summary>The settings given that Push accepts for compatibility and ignores (the start-up line lists them too).</summary>
    private static IEnumerable<string> Unused(IReadOnlyList<string>? ignored, SettingsSource source) =>
        (ignored ?? []).Select(k => $"{(source.TryGet(k, out var value) ? value.Origin : k)} is accepted for compatibility with autopush but does nothing in Push");

    private static void CheckCertificate(SiloSettings settings, TimeProvider time, List<string> warnings)
    {
        using var certificate = StartupChecks.LoadCertificate(settings);
        var now = time.GetUtcNow();
        if (certificate is not null && (certificate.NotAfter.ToUniversalTime() < now || certificate.NotBefore.ToUniversalTime() > now))
        {
            warnings.Add($"the certificate of {settings.Resolved.Describe(SiloSettings.EnvironmentPrefix, "tls_cert_file")} is valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u} only: clients will refuse it");
        }
    }
}

/// <summary>What <c>check</c> found: the report it prints, and its warnings and errors.</summary>
public sealed record CheckFindings(string Text, IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors);
