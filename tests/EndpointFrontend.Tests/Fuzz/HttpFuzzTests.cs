using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Push.Shared.Crypto;
using Push.Shared.Tokens;
using Xunit.Abstractions;

namespace Push.EndpointFrontend.Tests.Fuzz;

/// <summary>
/// Generated requests against the endpoint frontend of one running host: no 5xx but the documented
/// storage error, every error body in the reference's JSON shape, no hang, and no harm to anyone.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class HttpFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Parallelism = 16;
    private const long MemoryBoundBytes = 64L * 1024 * 1024;
    private const string AuthKey = "fuzz-auth-key-0123456789abcdef0123456789";
    private static readonly FuzzRun Run = FuzzRun.FromEnvironment(seed: 9_000, items: 100_000, budget: TimeSpan.FromSeconds(80));
    private static readonly string[] ErrorKeys = ["code", "errno", "error", "message", "more_info"];

    private readonly TempDirectory _data = new();
    private readonly CapturedLogs _logs = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = Parallelism, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    private readonly ConcurrentDictionary<string, int> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _problems = new();
    private TestHost _host = null!;
    private long _requests;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(_data.Path, new Dictionary<string, string?> { ["AUTOEND__AUTH_KEYS"] = $"[{AuthKey}]" }, _logs);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task GeneratedRequests_WithKeepAliveAndParallelism_AnswerInTheReferenceShapeAndHarmNoOne()
    {
        var bystander = await FuzzChecks.CreateBystanderAsync(_host, _http, messages: 3);
        var bystanderBefore = await FuzzChecks.SnapshotAsync(_host, bystander);
        await FuzzChecks.RoundTripAsync(_host, _http);
        using var vapid = new VapidSigner();
        using var otherVapid = new VapidSigner();
        var material = await MaterialAsync(vapid, otherVapid);
        var memoryBefore = FuzzChecks.ManagedMemory();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Parallelism).Select(worker => Task.Run(() => WorkerAsync(new RequestFuzzer(Run.Seed + worker, material)))));

        var elapsed = clock.Elapsed;
        await FuzzChecks.RoundTripAsync(_host, _http);
        Assert.Equal(bystanderBefore, await FuzzChecks.SnapshotAsync(_host, bystander));
        var memoryAfter = await Eventually.WaitAsync(
            () => Task.FromResult(FuzzChecks.ManagedMemory()), bytes => bytes < memoryBefore + MemoryBoundBytes, TimeSpan.FromSeconds(30), "managed memory to return near its baseline");

        output.WriteLine($"{Run}: requests: {_requests} in {elapsed.TotalSeconds:0.0} s ({_requests / elapsed.TotalSeconds:0} per second)");
        output.WriteLine($"managed memory: before {memoryBefore / 1024} KiB, after {memoryAfter / 1024} KiB");
        output.WriteLine("statuses: " + string.Join(", ", _statuses.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} ×{kv.Value}")));

        Assert.True(_problems.IsEmpty, string.Join("\n", _problems.Take(20)));
        Assert.True(_requests >= Run.Items, $"only {_requests} requests in {elapsed}");
        var errors = _logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(5)) + "\n" + string.Join("\n", _logs.Exceptions.Take(3).Select(e => e.Exception.ToString())));
    }

    /// <summary>Real tokens, ids and secrets for the fuzzer to start its mutations from.</summary>
    private async Task<FuzzMaterial> MaterialAsync(VapidSigner vapid, VapidSigner otherVapid)
    {
        // A subscriber that stays offline, so accepted pushes are stored (the queue cap bounds them).
        string v1, v2, version;
        await using (var client = await _host.ConnectAsync())
        {
            await client.HelloAsync();
            v1 = (string)(await client.RegisterAsync(Guid.NewGuid()))["pushEndpoint"]!;
            v2 = (string)(await client.RegisterAsync(Guid.NewGuid(), vapid.PublicKey))["pushEndpoint"]!;
            using var pushed = await _http.PushAsync(v1, "for a message id", PushHttp.Aes128Gcm());
            version = pushed.Headers.Location!.Segments[^1];
        }

        using var register = new StringContent("{\"token\":\"t\"}", Encoding.UTF8, "application/json");
        using var registered = await _http.PostAsync(new Uri(_host.EndpointUri, "v1/webpush/app/registration"), register);
        var body = await registered.JsonAsync();

        var otherKeys = new FernetKeyRing([RandomNumberGenerator.GetBytes(32)]);
        var foreign = EndpointToken.Create(otherKeys, Guid.NewGuid(), Guid.NewGuid(), null);
        var audience = _host.EndpointUri.GetLeftPart(UriPartial.Authority);
        return new FuzzMaterial(
            Token(v1), Token(v2), foreign, version, (string)body["uaid"]!, (string)body["secret"]!, (string)body["channelID"]!,
            [
                vapid.Authorization(audience),
                otherVapid.Authorization(audience),
                vapid.Authorization(audience, DateTimeOffset.UtcNow.AddHours(-2)),
                vapid.Authorization("https://elsewhere.example"),
                $"WebPush {vapid.Token(audience)}",
            ],
            vapid.PublicKey);
    }

    private static string Token(string endpoint) => endpoint[(endpoint.LastIndexOf('/') + 1)..];

    private async Task WorkerAsync(RequestFuzzer fuzzer)
    {
        var clock = Stopwatch.StartNew();
        while (Interlocked.Read(ref _requests) < Run.Items && clock.Elapsed < Run.Budget && _problems.IsEmpty)
        {
            var (method, path, headers, body) = fuzzer.Next();
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_host.EndpointUri.GetLeftPart(UriPartial.Authority) + path));
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
            }

            foreach (var (name, value) in headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content ??= new ByteArrayContent([]);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            try
            {
                using var response = await _http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Interlocked.Increment(ref _requests);
                Check(method, path, response, text);
            }
            catch (TaskCanceledException)
            {
                _problems.Enqueue($"no answer within 15 s: {method} {Cut(path)}");
            }
            catch (HttpRequestException e)
            {
                _problems.Enqueue($"connection failed: {method} {Cut(path)}: {e.Message}");
            }
        }
    }

    private void Check(string method, string path, HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        int? errno = null;
        if (status >= 400 && text.Length > 0)
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                var keys = json.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
                if (!keys.SequenceEqual(ErrorKeys.Order(StringComparer.Ordinal)) || json.RootElement.GetProperty("code").GetInt32() != status)
                {
                    _problems.Enqueue($"{status} body not in the reference shape: {Cut(text)} for {method} {Cut(path)}");
                }

                errno = json.RootElement.GetProperty("errno").ValueKind == JsonValueKind.Number ? json.RootElement.GetProperty("errno").GetInt32() : null;
            }
            catch (JsonException)
            {
                _problems.Enqueue($"{status} body is not JSON: {Cut(text)} for {method} {Cut(path)}");
            }
        }

        // Only a failing store may answer 5xx: 503 with errno 201.
        if (status >= 500 && !(status == 503 && errno == 201))
        {
            _problems.Enqueue($"{status} errno {errno} for {method} {Cut(path)}: {Cut(text)}");
        }

        _statuses.AddOrUpdate(errno is null ? $"{status}" : $"{status}/{errno}", 1, (_, n) => n + 1);
    }

    private static string Cut(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
