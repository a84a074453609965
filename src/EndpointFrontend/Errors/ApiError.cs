using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Push.EndpointFrontend.Errors;

/// <summary>
/// An error answer of the WebPush API: status, errno and message, rendered as the reference's JSON body
/// <c>{"code","errno","error","message","more_info"}</c> with its extra headers (410: Cache-Control, 503 and 429: Retry-After).
/// </summary>
internal sealed record ApiError(int Status, int? Errno, string Message)
{
    private const string MoreInfo = "http://autopush.readthedocs.io/en/latest/http.html#error-codes";

    public static ApiError InvalidApiVersion => new(404, 102, "Invalid API version");
    public static ApiError InvalidToken => new(404, 102, "Invalid token");
    public static ApiError NoSubscription => new(410, 106, "No such subscription");
    public static ApiError PayloadTooLarge(int limit) => new(413, 104, $"Data payload must be smaller than {limit} bytes");
    public static ApiError NoTtl => new(400, 111, "Missing TTL value");
    public static ApiError NegativeTtl => new(400, 114, "TTL must be greater than 0");
    public static ApiError InvalidEncryption(string message) => new(400, 110, message);
    public static ApiError InvalidTopic(string message) => new(400, 113, message);
    public static ApiError Vapid(string message) => new(401, 109, message);
    public static ApiError InvalidMessageId => new(400, null, "Invalid message ID");
    public static ApiError StoreUnavailable => new(503, 201, "Database error while saving notification");

    /// <summary>The user has the most channels a user may have (autopush has no limit, so no errno).</summary>
    public static ApiError TooManyChannels => new(400, null, "Too many channels for this user");

    /// <summary>The subscription's optional push rate was exceeded (autopush has no limit, so no errno).</summary>
    public static ApiError TooManyPushes(TimeSpan retryAfter) =>
        new(429, null, "Too many pushes to this subscription; retry later") { RetryAfterSeconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)) };

    /// <summary>When set, sent as <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; init; }

    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        if (Status == 410)
        {
            response.Headers.CacheControl = "max-age=86400";
        }
        else if (Status == 503)
        {
            response.Headers.RetryAfter = "120";
        }

        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteNumber("code", Status);
        if (Errno is { } errno)
        {
            writer.WriteNumber("errno", errno);
        }
        else
        {
            writer.WriteNull("errno");
        }

        writer.WriteString("error", ReasonPhrases.GetReasonPhrase(Status));
        writer.WriteString("message", Message);
        writer.WriteString("more_info", MoreInfo);
        writer.WriteEndObject();
        await writer.FlushAsync();
    }
}
