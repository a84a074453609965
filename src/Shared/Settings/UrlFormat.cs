namespace Push.Shared.Settings;

/// <summary>Builds origins the way URL parsers print them: the default port of the scheme is left out.</summary>
public static class UrlFormat
{
    public static string Origin(string scheme, string host, int port)
    {
        var defaultPort = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
        var hostPart = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
        return defaultPort ? $"{scheme}://{hostPart}" : $"{scheme}://{hostPart}:{port}";
    }

    /// <summary>The origin (scheme://host[:port]) of an absolute URL, lower-cased as browsers compare them.</summary>
    public static string Origin(Uri url) => url.IsDefaultPort
        ? $"{url.Scheme}://{url.Host}".ToLowerInvariant()
        : $"{url.Scheme}://{url.Host}:{url.Port}".ToLowerInvariant();
}
