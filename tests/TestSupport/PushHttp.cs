using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Push.Testing;

/// <summary>A sender's HTTP calls, with exactly the headers a test names.</summary>
public static class PushHttp
{
    public static async Task<HttpResponseMessage> PushAsync(this HttpClient http, string endpoint, string? body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new ByteArrayContent(body is null ? [] : Encoding.UTF8.GetBytes(body));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await http.SendAsync(request);
    }

    /// <summary>The usual headers of an encrypted push: a TTL and <c>aes128gcm</c>.</summary>
    public static (string, string)[] Aes128Gcm(string ttl = "60") => [("TTL", ttl), ("Content-Encoding", "aes128gcm")];

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>The errno of an error answer (null when the body says null).</summary>
    public static async Task<int?> ErrnoAsync(this HttpResponseMessage response) => (int?)(await response.JsonAsync())["errno"];

    public static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    /// <summary>Decodes a notification's <c>data</c> (URL-safe base64, unpadded) as the service sent it.</summary>
    public static byte[] FromBase64Url(string text) =>
        Push.Shared.Crypto.Base64Url.TryDecode(text, out var bytes) ? bytes : throw new FormatException($"not URL-safe base64: {text}");

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
