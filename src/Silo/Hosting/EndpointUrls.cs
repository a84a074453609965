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

    /// <summary>Origins a VAPID <c>aud</c> may name.</summary>
    public static IReadOnlyCollection<string> Audiences(PushConfiguration configuration, string endpointBase)
    {
        var audiences = new HashSet<string>(StringComparer.Ordinal) { UrlFormat.Origin(new Uri(configuration.Endpoint.EndpointUrl)) };
        if (configuration.Role == HostRole.All)
        {
            audiences.Add(UrlFormat.Origin(new Uri(endpointBase)));
        }

        return audiences;
    }

    /// <summary>The origin of <c>Location</c> answers and of endpoints made by the registration API.</summary>
    public static string LocationOrigin(PushConfiguration configuration, string endpointBase) =>
        configuration.Role == HostRole.All && configuration.Endpoint.EndpointUrlSetting.Length == 0 && configuration.Connect.EndpointUrlConfigured
            ? UrlFormat.Origin(new Uri(endpointBase))
            : UrlFormat.Origin(new Uri(configuration.Endpoint.EndpointUrl));
}
