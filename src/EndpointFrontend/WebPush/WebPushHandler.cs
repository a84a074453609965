using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Push.EndpointFrontend.Errors;
using Push.EndpointFrontend.Hosting;
using Push.EndpointFrontend.Vapid;
using Push.Grains;
using Push.Grains.Messages;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.WebPush;

/// <summary>
/// <c>POST /wpush/{v1|v2}/{token}</c>: the checks in the reference's order, then one grain call.
/// </summary>
internal sealed partial class WebPushHandler(IGrainFactory grains, EndpointFrontendOptions options, VapidValidator vapid, TimeProvider time, ILogger<WebPushHandler> logger)
{
    private const int MaxSortKeyAttempts = 3;

    public async Task HandleAsync(HttpContext context, string apiVersion, string token)
    {
        var error = await ProcessAsync(context, apiVersion, token);
        if (error is not null)
        {
            await error.WriteAsync(context.Response);
        }
    }

    private async Task<ApiError?> ProcessAsync(HttpContext context, string apiVersion, string token)
    {
        var request = context.Request;
        if (apiVersion is not ("v1" or "v2"))
        {
            return ApiError.InvalidApiVersion;
        }

        if (!EndpointToken.TryDecrypt(options.Settings.CryptoKeys, token, out var plain))
        {
            return ApiError.InvalidToken;
        }

        VapidCredentials? credentials = null;
        if (request.Headers.Authorization.Count > 0)
        {
            var parseError = VapidHeaderParser.TryParse(request.Headers.Authorization.ToString(), Single(request.Headers, "Crypto-Key"), out credentials);
            if (parseError is not null)
            {
                return parseError;
            }

            if (vapid.Validate(credentials!) is { } jwtError)
            {
                return jwtError;
            }
        }

        if (CheckVersion(apiVersion, plain, credentials) is { } versionError)
        {
            return versionError;
        }

        var target = EndpointToken.Read(plain);
        var channel = grains.GetChannelGrain(target.Uaid, target.ChannelId);
        var (body, tooLarge) = await ReadBodyAsync(request, options.Settings.MaxDataBytes);
        PushHeaders? headers = null;
        var headerError = tooLarge
            ? ApiError.PayloadTooLarge(options.Settings.MaxDataBytes)
            : PushHeaders.TryRead(request.Headers, body.Length > 0, options.Settings.MaxNotificationTtl, out headers);
        if (headerError is not null)
        {
            // The reference looks the subscription up before it reads the body and headers.
            return await IsGoneAsync(channel) ? ApiError.NoSubscription : headerError;
        }

        return await RouteAsync(context, channel, target, body, headers!);
    }

    private static ApiError? CheckVersion(string apiVersion, byte[] plain, VapidCredentials? credentials)
    {
        if (apiVersion == "v1")
        {
            return plain.Length == EndpointToken.V1Length ? null : ApiError.InvalidToken;
        }

        if (plain.Length != EndpointToken.V2Length)
        {
            return ApiError.InvalidToken;
        }

        if (credentials is null)
        {
            return ApiError.Vapid("Missing VAPID public key");
        }

        if (!VapidValidator.TryDecodePublicKey(credentials.PublicKey, out var rawKey))
        {
            return ApiError.Vapid("Invalid VAPID public key: not base64");
        }

        return CryptographicOperations.FixedTimeEquals(EndpointToken.HashKey(rawKey), plain.AsSpan(32))
            ? null
            : ApiError.Vapid("VAPID public key mismatch");
    }

    private async Task<ApiError?> RouteAsync(HttpContext context, IChannelGrain channel, EndpointTokenInfo target, byte[] body, PushHeaders headers)
    {
        var data = body.Length > 0 ? Base64Url.Encode(body) : null;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        for (var attempt = 0; attempt < MaxSortKeyAttempts; attempt++)
        {
            var sortKey = SortKeyClock.Next(time);
            var id = new MessageIdInfo(target.Uaid, target.ChannelId, headers.Topic, headers.Topic is null ? (ulong)sortKey : 0);
            var version = MessageId.Encrypt(options.Settings.CryptoKeys, id);
            var notification = new Notification(target.ChannelId, version, headers.Ttl, now, headers.Topic, sortKey, data, headers.ClientHeaders, headers.Urgency);
            DeliveryStatus status;
            try
            {
                status = await channel.PushAsync(notification);
            }
            catch (Exception e)
            {
                LogPushFailed(e);
                return ApiError.StoreUnavailable;
            }

            switch (status)
            {
                case DeliveryStatus.Accepted:
                    var response = context.Response;
                    response.StatusCode = StatusCodes.Status201Created;
                    response.Headers.Location = $"{options.LocationOrigin}/m/{version}";
                    response.Headers["TTL"] = headers.Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return null;
                case DeliveryStatus.NoSubscription:
                    return ApiError.NoSubscription;
                case DeliveryStatus.StoreUnavailable:
                    return ApiError.StoreUnavailable;
                case DeliveryStatus.Conflict:
                    continue;
            }
        }

        return ApiError.StoreUnavailable;
    }

    private async Task<bool> IsGoneAsync(IChannelGrain channel)
    {
        try
        {
            return !await channel.IsRegisteredAsync();
        }
        catch (Exception e)
        {
            LogPushFailed(e);
            return false;
        }
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; more than that only sets the flag.</summary>
    private static async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, int limit)
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

    private static string? Single(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push could not be handed to the grains")]
    private partial void LogPushFailed(Exception exception);
}
