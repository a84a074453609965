using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Push.EndpointFrontend.Http;

/// <summary>Reads a request body without ever holding more than the limit in memory.</summary>
internal static class RequestBody
{
    /// <summary>Reads at most <paramref name="limit"/> bytes; a larger body only sets <c>TooLarge</c>.</summary>
    public static Task<(byte[] Body, bool TooLarge)> ReadAsync(HttpRequest request, int limit) =>
        ReadAsync(request, limit, static body => body.ToArray(), []);

    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes as base64url text (null for an empty body), the form a
    /// notification carries: encoded straight from Kestrel's buffers, without a copy of the body.
    /// </summary>
    public static Task<(string? Base64Url, bool TooLarge)> ReadBase64UrlAsync(HttpRequest request, int limit) =>
        ReadAsync(request, limit, static body => body.IsEmpty ? null : Base64UrlText(body), null);

    private static string Base64UrlText(ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            return System.Buffers.Text.Base64Url.EncodeToString(body.FirstSpan);
        }

        var length = (int)body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return System.Buffers.Text.Base64Url.EncodeToString(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static async Task<(T Body, bool TooLarge)> ReadAsync<T>(HttpRequest request, int limit, Func<ReadOnlySequence<byte>, T> take, T none)
    {
        if (request.ContentLength > limit)
        {
            return (none, true);
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (none, true);
            }

            if (result.IsCompleted)
            {
                var body = take(buffer);
                reader.AdvanceTo(buffer.End);
                return (body, false);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
