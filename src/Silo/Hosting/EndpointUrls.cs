using System.Net;
using Push.Shared.Settings;

namespace Push.Silo.Hosting;

/// <summary>Which public URLs a process hands out and accepts, per role.</summary>
internal static class EndpointUrls
{
    /// <summary>
    /// The base of the push URLs handed out at register. In one process they point at the endpoint
    /// frontend it runs, unless <c>endpoint_*</c> says otherwise; a connect frontend alone uses
    /// <c>endpoint_*</c> as autoconnect does.
    /// </summary>
    public static string Base(PushConfiguration configuration)
    {
        if (configuration.Connect.EndpointUrlConfigured || configuration.Role == HostRole.Connect)
        {
            return configuration.Connect.EndpointBaseUrl;
        }

        var endpoint = configuration.Endpoint;
        if (endpoint.EndpointUrlSetting.Length > 0)
        {
            return endpoint.EndpointUrl;
        }

        var host = IPAddress.TryParse(endpoint.Host, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) ? "localhost" : endpoint.Host;
        return UrlFormat.Origin(endpoint.Scheme, host, endpoint.Port);
    }

    /// <summary>
    /// Origins a VAPID <c>aud</c> may name: the endpoint's own URL, and the URL clients are handed when
    /// this process knows it (its own in one process; else the <c>AUTOCONNECT__ENDPOINT_*</c> settings
    /// an endpoint frontend sees too when the roles share one .env). App servers sign for the URL they
    /// were handed, whatever the endpoint frontend calls itself.
    /// </summary>
    public static IReadOnlyCollection<string> Audiences(PushConfiguration configuration)
    {
        var audiences = new HashSet<string>(StringComparer.Ordinal) { UrlFormat.Origin(new Uri(configuration.Endpoint.EndpointUrl)) };
        if (configuration.Role == HostRole.All || configuration.Connect.EndpointUrlConfigured)
        {
            audiences.Add(UrlFormat.Origin(new Uri(Base(configuration))));
        }

        return audiences;
    }

    /// <summary>
    /// The origin of <c>Location</c> answers and of endpoints made by the registration API: <c>endpoint_url</c>
    /// when set, else the URL clients are handed when this process knows it.
    /// </summary>
    public static string LocationOrigin(PushConfiguration configuration) =>
        configuration.Role is HostRole.All or HostRole.Endpoint && configuration.Endpoint.EndpointUrlSetting.Length == 0 && configuration.Connect.EndpointUrlConfigured
            ? UrlFormat.Origin(new Uri(configuration.Connect.EndpointBaseUrl))
            : UrlFormat.Origin(new Uri(configuration.Endpoint.EndpointUrl));

    /// <summary>
    /// Why the URLs senders get and the URL they sign VAPID tokens for likely cannot match, or null:
    /// an endpoint frontend that knows no public URL of its own, or a connect frontend that hands out
    /// autopush's default <c>http://localhost:8082</c>.
    /// </summary>
    public static string? Problem(PushConfiguration configuration)
    {
        var connect = configuration.Connect;
        var endpoint = configuration.Endpoint;
        return configuration.Role switch
        {
            HostRole.Endpoint when !connect.EndpointUrlConfigured && endpoint.EndpointUrlSetting.Length == 0 && !IsPublicName(endpoint.Host) =>
                $"the endpoint frontend accepts VAPID tokens only for {endpoint.EndpointUrl}, its scheme, host and port (AUTOEND__SCHEME, AUTOEND__HOST, AUTOEND__PORT), which is not the push API's public URL: senders sign for the URL they were handed, so every VAPID push would be refused with 401 (errno 109). Set AUTOEND__ENDPOINT_URL to the URL the connect frontends hand out (or give this process their AUTOCONNECT__ENDPOINT_* settings too)",
            HostRole.Connect when !connect.EndpointUrlConfigured =>
                $"the connect frontend hands out endpoints under {connect.EndpointBaseUrl}, autopush's default, which no app server can reach: set AUTOCONNECT__ENDPOINT_SCHEME, AUTOCONNECT__ENDPOINT_HOSTNAME and AUTOCONNECT__ENDPOINT_PORT to the push API's public URL",
            _ => null,
        };
    }

    // An address, localhost or a one-label name (a container's) is where the process listens, not what senders are given.
    private static bool IsPublicName(string host) =>
        !IPAddress.TryParse(host, out _) && host.Contains('.', StringComparison.Ordinal) && !host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}
