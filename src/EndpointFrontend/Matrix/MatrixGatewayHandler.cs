using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Push.EndpointFrontend.Errors;
using Push.EndpointFrontend.Hosting;
using Push.EndpointFrontend.Http;
using Push.EndpointFrontend.WebPush;
using Push.Grains.Messages;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.Matrix;

/// <summary>
/// A Matrix push gateway (<c>/_matrix/push/v1/notify</c>) built in, so a homeserver can push to
/// UnifiedPush endpoints of this service without a separate proxy. Each device pushkey that is one of
/// this service's v1 endpoints receives the notification JSON; every other pushkey is rejected.
/// v2 endpoints are rejected too: a gateway cannot present the VAPID signature they were bound to.
/// </summary>
internal sealed partial class MatrixGatewayHandler(NotificationDispatcher dispatcher, SubscriptionRateLimiter rateLimiter, EndpointFrontendOptions options, ILogger<MatrixGatewayHandler> logger)
{
    private const long Ttl = 86_400;

    /// <summary>UnifiedPush gateway discovery.</summary>
    public static Task DiscoverAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(new { unifiedpush = new { gateway = "matrix" } });

    public async Task NotifyAsync(HttpContext context)
    {
        var (body, tooLarge) = await RequestBody.ReadAsync(context.Request, options.Settings.MaxDataBytes);
        if (tooLarge)
        {
            await ApiError.PayloadTooLarge(options.Settings.MaxDataBytes).WriteAsync(context.Response);
            return;
        }

        if (!MatrixNotification.TryRead(body, out var notification))
        {
            await new ApiError(400, null, "Not a Matrix push notification").WriteAsync(context.Response);
            return;
        }

        var data = Base64Url.Encode(body);
        var rejected = new List<string>();
        // A pushkey listed twice is one device: one message, one write.
        foreach (var pushkey in notification.Pushkeys.Distinct(StringComparer.Ordinal))
        {
            if (!TryTarget(pushkey, out var target))
            {
                rejected.Add(pushkey);
                continue;
            }

            if (!rateLimiter.TryAcquire(target, out _))
            {
                // Dropped, not rejected: a rejected pushkey makes the homeserver delete the pusher.
                LogRateLimited();
                continue;
            }

            DeliveryStatus status;
            try
            {
                // The topic follows the event: the homeserver's retry of this request (after a 503 on a
                // later pushkey) replaces the stored message instead of storing it again.
                (status, _) = await dispatcher.DispatchAsync(new PushRequest(target, data, Ttl, notification.Topic, null, notification.Urgency));
            }
            catch (Exception e)
            {
                LogGatewayFailed(e);
                status = DeliveryStatus.StoreUnavailable;
            }

            if (status == DeliveryStatus.StoreUnavailable)
            {
                // Temporary: the homeserver should try again later.
                await ApiError.StoreUnavailable.WriteAsync(context.Response);
                return;
            }

            if (status != DeliveryStatus.Accepted)
            {
                rejected.Add(pushkey);
            }
        }

        await context.Response.WriteAsJsonAsync(new { rejected });
    }

    private bool TryTarget(string pushkey, out EndpointTokenInfo target)
    {
        target = default;
        return Uri.TryCreate(pushkey, UriKind.Absolute, out var url)
            && EndpointUrl.TryParsePath(url.AbsolutePath, out var apiVersion, out var token)
            && apiVersion == "v1"
            && EndpointToken.TryOpen(options.Settings.CryptoKeys, token, out target)
            && target.ApiVersion == 1;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A Matrix notification to a subscription over its rate limit was dropped")]
    private partial void LogRateLimited();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Matrix notification could not be handed to the grains")]
    private partial void LogGatewayFailed(Exception exception);
}
