namespace Push.Testing;

/// <summary>
/// Plays the reverse proxy in front of a host whose public URL has the scheme's default port
/// (<c>endpoint_url = http://127.0.0.1</c>): requests for that URL go to the port the host listens on.
/// Sender libraries that write the VAPID <c>aud</c> without a port (Lib.Net.Http.WebPush does) only
/// match an endpoint on the default port, as in production behind a proxy.
/// </summary>
public sealed class DefaultPortProxy(int port) : DelegatingHandler(new HttpClientHandler())
{
    private readonly List<string> _contentEncodings = [];

    /// <summary>The <c>Content-Encoding</c> of every request forwarded so far, in order.</summary>
    public IReadOnlyList<string> ContentEncodings
    {
        get
        {
            lock (_contentEncodings)
            {
                return [.. _contentEncodings];
            }
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_contentEncodings)
        {
            _contentEncodings.Add(string.Join(",", request.Content?.Headers.ContentEncoding ?? []));
        }

        request.RequestUri = new UriBuilder(request.RequestUri!) { Port = port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
