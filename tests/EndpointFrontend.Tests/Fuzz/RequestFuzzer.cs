using System.Text;

namespace Push.EndpointFrontend.Tests.Fuzz;

/// <summary>Real values the fuzzer mutates: endpoint tokens, a message id, a registration and VAPID headers.</summary>
internal sealed record FuzzMaterial(
    string V1Token, string V2Token, string ForeignToken, string MessageId, string Uaid, string Secret, string ChannelId,
    IReadOnlyList<string> Authorizations, string VapidKey);

/// <summary>Generates HTTP requests for the endpoint frontend from a seeded <see cref="Random"/>.</summary>
internal sealed class RequestFuzzer(int seed, FuzzMaterial material)
{
    private const int MaxData = 5630;
    private static readonly string[] Methods = ["POST", "POST", "POST", "POST", "POST", "POST", "GET", "PUT", "DELETE", "DELETE", "OPTIONS", "HEAD", "PATCH"];
    private readonly Random _random = new(seed);

    public (string Method, string Path, List<(string Name, string Value)> Headers, byte[]? Body) Next()
    {
        var path = Path();
        // Mostly the route's own method, so requests reach the checks behind the routing.
        var method = _random.Next(5) == 0 ? Methods[_random.Next(Methods.Length)] : NaturalMethod(path);
        var headers = new List<(string, string)>();
        foreach (var (name, values) in HeaderChoices())
        {
            if (_random.Next(3) != 0)
            {
                headers.Add((name, Maybe(values[_random.Next(values.Length)])));
            }
        }

        byte[]? body = method is "GET" or "HEAD" or "OPTIONS" && _random.Next(4) != 0 ? null : Body();
        return (method, path, headers, body);
    }

    private string NaturalMethod(string path) => path switch
    {
        _ when path.StartsWith("/wpush", StringComparison.Ordinal) => "POST",
        _ when path.StartsWith("/m/", StringComparison.Ordinal) => "DELETE",
        _ when path.EndsWith("/registration", StringComparison.Ordinal) || path.EndsWith("/subscription", StringComparison.Ordinal) => "POST",
        _ when path.Contains("/subscription/", StringComparison.Ordinal) => "DELETE",
        _ when path.Contains("/registration/", StringComparison.Ordinal) => Pick("GET", "PUT", "DELETE"),
        _ => "GET",
    };

    private (string, string[])[] HeaderChoices() =>
    [
        ("TTL", ["60", "0", "-1", "2592000", "99999999999999999999", "abc", "", " 60 ", "6e1", "60, 60"]),
        ("Topic", ["t", "toolong-toolong-toolong-toolong-toolong", "with space", "ok_Topic-1", "caf%C3%A9", ""]),
        ("Urgency", ["very-low", "low", "normal", "high", "HIGH", "urgent", ""]),
        ("Content-Encoding", ["aes128gcm", "aesgcm", "aesgcm128", "gzip", "", "AES128GCM"]),
        ("Encryption", ["salt=abc", "salt=\"XZwpw6o37R-6qoZjw6KwAw==\"", "salt", "keyid=p256dh;salt=!!", "=;=,=", ""]),
        ("Crypto-Key", ["dh=BNoRDbb84JGm8g5Z5CFxurSqsXWJ11ItfXEWYVLE85Y7CYkDjXsIEc4aqxYaQ1G8BqkXCJ6DPpDrWtdWj_mugHU", "p256ecdsa=" + material.VapidKey, "dh=", "keyid=x", ";;;", ""]),
        ("Authorization", [.. material.Authorizations, "vapid", "vapid t=a.b.c, k=x", "Bearer " + material.Secret, "webpush " + material.Secret, "Bearer " + Flip(material.Secret), "Basic Zm9vOmJhcg==", "vapid t=" + new string('a', 3000), ""]),
        ("Content-Type", ["application/json", "application/octet-stream", "text/plain"]),
    ];

    private string Path()
    {
        var uaid = _random.Next(4) == 0 ? Mutate(material.Uaid) : material.Uaid;
        var chid = _random.Next(3) == 0 ? Mutate(material.ChannelId) : material.ChannelId;
        return _random.Next(16) switch
        {
            0 or 1 or 2 => "/wpush/v1/" + TokenVariant(material.V1Token),
            3 or 4 => "/wpush/v2/" + TokenVariant(material.V2Token),
            5 => "/wpush/" + TokenVariant(material.V1Token),
            6 => $"/wpush/{Pick("v0", "v3", "V1", "", "v1/extra")}/{TokenVariant(material.V1Token)}",
            7 => "/m/" + (_random.Next(3) == 0 ? material.MessageId : Mutate(material.MessageId)),
            8 => $"/v1/{Pick("webpush", "fcm", "gcm", "apns", "stub", "WEBPUSH", "nope", "")}/app/registration",
            9 => $"/v1/webpush/app/registration/{uaid}",
            10 => $"/v1/webpush/app/registration/{uaid}/subscription",
            11 => $"/v1/webpush/app/registration/{uaid}/subscription/{chid}",
            12 => Pick("/wpush/v1/../../etc/passwd", "/wpush/v1/%2e%2e%2f%2e%2e", "/m/..%2F..%2F", "/..", "//wpush//v1//x", "/wpush/v1/%00", "/_matrix/push/v1/notify", "/health", "/__heartbeat__", "/metrics", "/v1/err", "/__error__"),
            13 => "/wpush/v1/" + new string('A', _random.Next(2_000, 12_000)),
            14 => "/" + RandomSegment() + "/" + RandomSegment(),
            _ => "/wpush/v1/" + material.ForeignToken,
        };
    }

    private string TokenVariant(string token) => _random.Next(6) switch
    {
        0 => token,
        1 => material.ForeignToken,
        2 => token[.._random.Next(token.Length)],
        3 => token + RandomSegment(),
        _ => Mutate(token),
    };

    /// <summary>A bit flip in one base64 character, or a swapped pair.</summary>
    private string Mutate(string text)
    {
        if (text.Length == 0)
        {
            return "x";
        }

        var chars = text.ToCharArray();
        var i = _random.Next(chars.Length);
        if (_random.Next(2) == 0)
        {
            chars[i] = (char)(chars[i] ^ (1 << _random.Next(6)));
            if (!char.IsAsciiLetterOrDigit(chars[i]))
            {
                chars[i] = 'Q';
            }
        }
        else
        {
            var j = _random.Next(chars.Length);
            (chars[i], chars[j]) = (chars[j], chars[i]);
        }

        return Uri.EscapeDataString(new string(chars));
    }

    private static string Flip(string text) => (text[0] == 'a' ? 'b' : 'a') + text[1..];

    private string Maybe(string value) => _random.Next(8) == 0 ? value + RandomSegment() : value;

    private byte[] Body()
    {
        var size = _random.Next(8) switch
        {
            0 => 0,
            1 => MaxData,
            2 => MaxData + 1,
            3 => MaxData - 1,
            4 => _random.Next(MaxData + 2, 70_000),
            _ => _random.Next(1, 300),
        };
        var body = new byte[size];
        _random.NextBytes(body);
        return body;
    }

    private string RandomSegment()
    {
        const string alphabet = "abcXYZ019-_.~%+=:@!$&'()*,;";
        var text = new StringBuilder();
        for (var i = _random.Next(1, 20); i > 0; i--)
        {
            text.Append(alphabet[_random.Next(alphabet.Length)]);
        }

        return Uri.EscapeDataString(text.ToString());
    }

    private string Pick(params string[] options) => options[_random.Next(options.Length)];
}
