using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Push.EndpointFrontend.Vapid;
using Push.EndpointFrontend.WebPush;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.Benchmarks;

/// <summary>The per-request work of <c>POST /wpush/…</c> before the grain call.</summary>
[MemoryDiagnoser]
public class PushPathBenchmarks
{
    private readonly FernetKeyRing _keys = new([RandomNumberGenerator.GetBytes(32)]);
    private readonly HeaderDictionary _headers = new()
    {
        ["TTL"] = "86400",
        ["Content-Encoding"] = "aes128gcm",
        ["Topic"] = "inbox",
        ["Urgency"] = "high",
    };

    private string _v1Token = string.Empty;
    private string _messageId = string.Empty;
    private VapidValidator _vapid = null!;
    private VapidCredentials _credentials = null!;

    [GlobalSetup]
    public void Setup()
    {
        _v1Token = EndpointToken.Create(_keys, Guid.NewGuid(), Guid.NewGuid(), null);
        _messageId = MessageId.Encrypt(_keys, new MessageIdInfo(Guid.NewGuid(), Guid.NewGuid(), null, 1_700_000_000_000_000));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = key.ExportParameters(false).Q;
        var publicKey = Url([0x04, .. q.X!, .. q.Y!]);
        var header = Url("""{"typ":"JWT","alg":"ES256"}"""u8.ToArray());
        var claims = Url(JsonSerializer.SerializeToUtf8Bytes(new { aud = "https://push.example.com", exp = DateTimeOffset.UtcNow.AddHours(12).ToUnixTimeSeconds(), sub = "mailto:ops@example.com" }));
        var signature = Url(key.SignData(Encoding.ASCII.GetBytes($"{header}.{claims}"), HashAlgorithmName.SHA256));
        _credentials = new VapidCredentials($"{header}.{claims}.{signature}", publicKey, "vapid");
        _vapid = new VapidValidator(["https://push.example.com"], TimeProvider.System);
    }

    [Benchmark]
    public EndpointTokenInfo DecryptEndpointToken()
    {
        EndpointToken.TryOpen(_keys, _v1Token, out var info);
        return info;
    }

    [Benchmark]
    public string MintMessageId() => MessageId.Encrypt(_keys, new MessageIdInfo(Guid.NewGuid(), Guid.NewGuid(), null, 1_700_000_000_000_000));

    [Benchmark]
    public bool DecryptMessageId() => MessageId.TryDecrypt(_keys, _messageId, out _);

    [Benchmark]
    public bool ValidateHeaders() => PushHeaders.TryRead(_headers, hasData: true, 2_592_000, out _) is null;

    [Benchmark]
    public bool ValidateVapid() => _vapid.Validate(_credentials) is null;

    private static string Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
