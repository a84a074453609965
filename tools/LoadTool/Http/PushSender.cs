using System.Net;
using System.Net.Http.Headers;

namespace Push.LoadTool.Http;

/// <summary>
/// An application server sending WebPush messages: keep-alive HTTP/1.1 connections, one per sender
/// task, and the headers of an encrypted push (TTL, Content-Encoding: aes128gcm).
/// </summary>
public sealed class PushSender : IDisposable
{
    /// <summary>Status recorded for a request that got no HTTP answer at all (refused, reset, timed out).</summary>
    public const int NoResponse = 0;

    private readonly HttpClient _http;
    private readonly string _ttl;

    /// <param name="timeout">How long a request waits for its answer before it counts as <see cref="NoResponse"/>.</param>
    public PushSender(int connections, int ttl = 60, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _ttl = ttl.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>POSTs <paramref name="body"/> and returns the status code (or <see cref="NoResponse"/>).</summary>
    public async Task<int> PushAsync(Uri endpoint, ReadOnlyMemory<byte> body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.TryAddWithoutValidation("TTL", _ttl);
        request.Content = new ReadOnlyMemoryContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentEncoding.Add("aes128gcm");
        return await SendAsync(request, cancel);
    }

    public async Task<int> GetAsync(Uri url, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendAsync(request, cancel);
    }

    public async Task<string> GetTextAsync(Uri url, CancellationToken cancel) => await _http.GetStringAsync(url, cancel);

    public void Dispose() => _http.Dispose();

    private async Task<int> SendAsync(HttpRequestMessage request, CancellationToken cancel)
    {
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancel);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return NoResponse;
        }
        catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
        {
            // HttpClient's own timeout.
            return NoResponse;
        }
    }
}
