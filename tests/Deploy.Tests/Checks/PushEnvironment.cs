using System.Security.Cryptography;
using Push.Shared.Settings;
using Push.Silo.Hosting;

namespace Push.Deploy.Tests.Checks;

/// <summary>Loads a deployment's environment the way a Push process does, once its placeholders are filled in.</summary>
internal static class PushEnvironment
{
    // One key for every process of a deployment, as the files tell the operator to do.
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');

    /// <summary>Names in <paramref name="environment"/> that no Push process reads.</summary>
    public static IEnumerable<string> Unknown(IEnumerable<string> names) => names.Where(n => !KnownEnvironment.IsKnown(n));

    /// <summary>The configuration the process would run with, or the one-line error it would stop with.</summary>
    public static (PushConfiguration? Configuration, string? Error) Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var filled = environment.ToDictionary(p => p.Key, p => (string?)Fill(p.Key, p.Value), StringComparer.Ordinal);
        filled.TryAdd("PUSH__DATA_DIR", Path.Combine(Path.GetTempPath(), "push-deploy-tests"));
        try
        {
            return (PushConfiguration.Load(HostCommandLine.Parse(args), filled), null);
        }
        catch (Exception e) when (e is SettingsException or ArgumentException)
        {
            return (null, e.Message);
        }
    }

    // "[CRYPTO_KEY]", "[AUTH_KEY]", "[DASHBOARD_PASSWORD]" and the like stand for the secrets an operator
    // generates (Push refuses them as they are); they are the only values filled in. The crypto keys
    // get one shared key, since every process of a deployment must use the same.
    private static string Fill(string name, string value)
    {
        if (!value.StartsWith('[') || !value.EndsWith(']') || value.Contains('=', StringComparison.Ordinal))
        {
            return value;
        }

        var isCryptoKey = new[] { ConnectSettings.EnvironmentPrefix, EndpointSettings.EnvironmentPrefix }
            .Any(prefix => SettingsSource.TryKey(name, prefix, out var key) && key is "crypto_key" or "crypto_keys");
        return isCryptoKey ? Key : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');
    }
}
