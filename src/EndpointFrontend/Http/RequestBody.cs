using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Push.EndpointFrontend.Http;

/// <summary>Reads a request body without ever holding more than the limit in memory.</summary>
internal static class RequestBody
{
    /// <summary>Reads at most <paramref name="limit"/> bytes; a larger body only sets <c>TooLarge</c>.</summary>
    public static async Task<(byte[] Body, bool TooLarge)> ReadAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit)
        {
            return ([], true);
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return ([], true);
            }

            if (result.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return (body, false);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
