using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Push.EndpointFrontend.Errors;
using Push.EndpointFrontend.Http;
using Push.EndpointFrontend.Metrics;
using Push.EndpointFrontend.Tokens;
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
internal sealed partial class WebPushHandler(IGrainFactory grains, EndpointFrontendOptions options, EndpointTokenCache tokens, VapidValidator vapid, NotificationDispatcher dispatcher, SubscriptionRateLimiter rateLimiter, EndpointMetrics metrics, ILogger<WebPushHandler> logger)
{
    public async Task HandleAsync(HttpContext context, string apiVersion, string token)
    {
        metrics.Received();
        var error = await ProcessAsync(context, apiVersion, token);
        if (error is null)
        {
            metrics.Accepted();
            return;
        }

        metrics.Error(error.Status, error.Errno);
        await error.WriteAsync(context.Response);
    }

    private async Task<ApiError?> ProcessAsync(HttpContext context, string apiVersion, string token)
    {
        var request = context.Request;
        if (apiVersion is not ("v1" or "v2"))
        {
            return ApiError.InvalidApiVersion;
        }

        if (!tokens.TryOpen(token, out var target))
        {
            return ApiError.InvalidToken;
        }

        VapidCredentials? credentials = null;
        if (request.Headers.Authorization.Count > 0)
        {
            var parseError = VapidHeaderParser.TryParse(request.Headers.Authorization.ToString(), request.Headers.FirstValue("Crypto-Key"), out credentials);
            if (parseError is not null)
            {
                return parseError;
            }

            if (vapid.Validate(credentials!) is { } jwtError)
            {
                return jwtError;
            }
        }

        if (CheckVersion(apiVersion, target, credentials) is { } versionError)
        {
            return versionError;
        }

        if (!rateLimiter.TryAcquire(target, out var retryAfter))
        {
            return ApiError.TooManyPushes(retryAfter);
        }

        var user = grains.GetClientGrain(target.Uaid);
        var (data, tooLarge) = await RequestBody.ReadBase64UrlAsync(request, options.Settings.MaxDataBytes);
        PushHeaders? headers = null;
        var headerError = tooLarge
            ? ApiError.PayloadTooLarge(options.Settings.MaxDataBytes)
            : PushHeaders.TryRead(request.Headers, data is not null, options.Settings.MaxNotificationTtl, out headers);
        if (headerError is not null)
        {
            // The reference looks the subscription up before it reads the body and headers.
            return await IsGoneAsync(user, target.ChannelId) ? ApiError.NoSubscription : headerError;
        }

        return await RouteAsync(context, target, data, headers!);
    }

    private static ApiError? CheckVersion(string apiVersion, EndpointTokenInfo target, VapidCredentials? credentials)
    {
        if (apiVersion == "v1")
        {
            return target.ApiVersion == 1 ? null : ApiError.InvalidToken;
        }

        if (target.ApiVersion != 2)
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

        return target.IsBoundTo(rawKey)
            ? null
            : ApiError.Vapid("VAPID public key mismatch");
    }

    /// <param name="data">The body as base64url text, or null for an empty body.</param>
    private async Task<ApiError?> RouteAsync(HttpContext context, EndpointTokenInfo target, string? data, PushHeaders headers)
    {
        DeliveryStatus status;
        string? version;
        try
        {
            (status, version) = await dispatcher.DispatchAsync(new PushRequest(target, data, headers.Ttl, headers.Topic, headers.ClientHeaders, headers.Urgency));
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
            default:
                return ApiError.StoreUnavailable;
        }
    }

    private async Task<bool> IsGoneAsync(IClientGrain user, Guid channelId)
    {
        try
        {
            return !await user.HasChannelAsync(channelId);
        }
        catch (Exception e)
        {
            LogPushFailed(e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push could not be handed to the grains")]
    private partial void LogPushFailed(Exception exception);
}
