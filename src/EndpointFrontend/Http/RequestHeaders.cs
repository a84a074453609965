using Microsoft.AspNetCore.Http;

namespace Push.EndpointFrontend.Http;

/// <summary>Reading request headers the way the reference does.</summary>
internal static class RequestHeaders
{
    /// <summary>The first value of a header, or null when it is absent; a repeated header's later values are not read.</summary>
    public static string? FirstValue(this IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
