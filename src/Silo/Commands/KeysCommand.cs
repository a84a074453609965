using System.Security.Cryptography;

namespace Push.Silo.Commands;

/// <summary>
/// <c>keys</c>: prints a new Fernet key and a new auth key in the form the settings take
/// (instead of <c>openssl rand -base64 32</c>).
/// </summary>
public static class KeysCommand
{
    public const string Name = "keys";

    public static PushCommand Command { get; } = new(Name, string.Empty, "print a new crypto key and auth key, ready for the settings", context =>
    {
        if (context.Args.Count > 0)
        {
            throw new ArgumentException($"keys takes no arguments (\"{context.Args[0]}\")");
        }

        context.Out.Write(Generate());
        return Task.FromResult(0);
    });

    public static string Generate()
    {
        var cryptoKey = UrlSafe(RandomNumberGenerator.GetBytes(32));
        var authKey = UrlSafe(RandomNumberGenerator.GetBytes(32));
        return $"""
            # Give the connect and the endpoint frontends the same crypto key. Keep both secret.
            AUTOCONNECT__CRYPTO_KEY=[{cryptoKey}]
            AUTOEND__CRYPTO_KEYS=[{cryptoKey}]
            AUTOEND__AUTH_KEYS=[{authKey}]

            # The same in TOML (autoconnect.toml, then autoendpoint.toml):
            crypto_key = "[{cryptoKey}]"
            crypto_keys = "[{cryptoKey}]"
            auth_keys = "[{authKey}]"

            """;
    }

    private static string UrlSafe(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
}
