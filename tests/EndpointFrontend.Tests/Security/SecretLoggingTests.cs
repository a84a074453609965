using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Push.Shared.Logging;

namespace Push.EndpointFrontend.Tests.Security;

/// <summary>Everything Push logs, at Trace, through a full session and its error paths: no secret in any line.</summary>
public sealed class SecretLoggingTests : IAsyncLifetime
{
    private const string AuthKey = "f3qbVEwPyNlsjVgdVQnRIK2oBZmD6Kf0RF8HfvvHbj0=";
    private static readonly string CryptoKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');
    private readonly TempDirectory _data = new();
    private readonly CapturedLogs _logs = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["AUTOCONNECT__CRYPTO_KEY"] = CryptoKey,
            ["AUTOEND__CRYPTO_KEYS"] = CryptoKey,
            ["AUTOEND__AUTH_KEYS"] = AuthKey,
        }, _logs);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Logs_FullSessionAndErrorPathsAtTrace_HoldNoSecret()
    {
        using var vapid = new VapidSigner();
        var audience = _host.EndpointUri.GetLeftPart(UriPartial.Authority);
        var jwt = vapid.Token(audience);
        var channel = Guid.NewGuid();
        var secrets = new List<string> { CryptoKey, CryptoKey.Replace('-', '+').Replace('_', '/'), AuthKey, jwt };

        string uaid;
        await using (var client = await _host.ConnectAsync())
        {
            uaid = (string)(await client.HelloAsync())["uaid"]!;
            var endpoint = (string)(await client.RegisterAsync(channel, vapid.PublicKey))["pushEndpoint"]!;
            secrets.Add(endpoint[(endpoint.LastIndexOf('/') + 1)..]);

            using (var pushed = await _http.PushAsync(endpoint, "secret-free", [.. PushHttp.Aes128Gcm(), ("Authorization", $"vapid t={jwt}, k={vapid.PublicKey}")]))
            {
                Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
            }

            var notification = await client.NotificationAsync();
            await client.AckAsync(channel.ToString(), (string)notification["version"]!);

            // Error paths: a tampered token, a VAPID JWT signed by another key, an expired one.
            using (var badToken = await _http.PushAsync(endpoint[..^3] + "AAA", "x", PushHttp.Aes128Gcm()))
            {
                Assert.Equal(HttpStatusCode.NotFound, badToken.StatusCode);
            }

            using var stranger = new VapidSigner();
            var strangerJwt = stranger.Token(audience);
            var expiredJwt = vapid.Token(audience, DateTimeOffset.UtcNow.AddHours(-1));
            secrets.Add(strangerJwt);
            secrets.Add(expiredJwt);
            foreach (var authorization in new[] { $"vapid t={strangerJwt}, k={vapid.PublicKey}", $"vapid t={expiredJwt}, k={vapid.PublicKey}" })
            {
                using var refused = await _http.PushAsync(endpoint, "x", [.. PushHttp.Aes128Gcm(), ("Authorization", authorization)]);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            await client.SendAsync(new { messageType = "unregister", channelID = channel.ToString() });
            Assert.Equal("unregister", (string?)(await client.ReceiveAsync())!["messageType"]);
        }

        // The registration API, with its secret, a wrong secret and the endpoint it hands out.
        using var registered = await _http.PostAsJsonAsync(new Uri(_host.EndpointUri, "v1/webpush/app/registration"), new { token = "any" });
        var body = await registered.JsonAsync();
        var apiUaid = Guid.Parse((string)body["uaid"]!);
        var secret = (string)body["secret"]!;
        var apiEndpoint = (string)body["endpoint"]!;
        secrets.Add(secret);
        secrets.Add(apiEndpoint[(apiEndpoint.LastIndexOf('/') + 1)..]);
        using (var allowed = await Registration(apiUaid, secret))
        using (var refused = await Registration(apiUaid, new string('0', 64)))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var uaids = new[] { Guid.ParseExact(uaid, "N"), apiUaid };
        secrets.AddRange(uaids.SelectMany(u => new[] { u.ToString("N"), u.ToString("D") }));
        // The connection's summary line is the last thing a session logs.
        await Eventually.WaitAsync(
            () => _logs.Entries.Any(e => e.Message.StartsWith("Session ", StringComparison.Ordinal) && e.Message.Contains(LogIds.Hash(uaids[0]), StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10),
            "the session summary");

        var lines = _logs.Entries.Select(e => $"{e.Category} {e.Level}: {e.Message}")
            .Concat(_logs.Exceptions.Select(e => $"{e.Category} exception: {e.Exception}"))
            .ToList();
        Assert.NotEmpty(lines);
        var leaks = lines
            .SelectMany(line => secrets.Where(s => line.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{Describe(s, secrets)} in: {line}"))
            .ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(10)));
    }

    private static string Describe(string secret, List<string> secrets) => $"secret #{secrets.IndexOf(secret)}";

    private async Task<HttpResponseMessage> Registration(Guid uaid, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.EndpointUri, $"v1/webpush/app/registration/{uaid:N}"));
        request.Headers.TryAddWithoutValidation("Authorization", "WebPush " + secret);
        return await _http.SendAsync(request);
    }
}
