using System.Text.Json;
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
internal sealed partial class MatrixGatewayHandler(NotificationDispatcher dispatcher, EndpointFrontendOptions options, ILogger<MatrixGatewayHandler> logger)
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

        if (!TryReadDevices(body, out var pushkeys, out var urgency))
        {
            await new ApiError(400, null, "Not a Matrix push notification").WriteAsync(context.Response);
            return;
        }

        var data = Base64Url.Encode(body);
        var rejected = new List<string>();
        foreach (var pushkey in pushkeys)
        {
            if (!TryTarget(pushkey, out var target))
            {
                rejected.Add(pushkey);
                continue;
            }

            DeliveryStatus status;
            try
            {
                (status, _) = await dispatcher.DispatchAsync(new PushRequest(target, data, Ttl, null, null, urgency));
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
        if (!Uri.TryCreate(pushkey, UriKind.Absolute, out var url))
        {
            return false;
        }

        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var token = segments switch
        {
            ["wpush", var t] => t,
            ["wpush", "v1", var t] => t,
            _ => null,
        };
        if (token is null || !EndpointToken.TryDecrypt(options.Settings.CryptoKeys, token, out var plain) || plain.Length != EndpointToken.V1Length)
        {
            return false;
        }

        target = EndpointToken.Read(plain);
        return true;
    }

    private static bool TryReadDevices(byte[] body, out List<string> pushkeys, out Urgency urgency)
    {
        pushkeys = [];
        urgency = Urgency.Normal;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("notification", out var notification)
                || notification.ValueKind != JsonValueKind.Object
                || !notification.TryGetProperty("devices", out var devices)
                || devices.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            if (notification.TryGetProperty("prio", out var prio) && prio.ValueKind == JsonValueKind.String)
            {
                urgency = prio.GetString() == "low" ? Urgency.Low : Urgency.High;
            }

            foreach (var device in devices.EnumerateArray())
            {
                if (device.ValueKind == JsonValueKind.Object && device.TryGetProperty("pushkey", out var key) && key.ValueKind == JsonValueKind.String)
                {
                    pushkeys.Add(key.GetString()!);
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Matrix notification could not be handed to the grains")]
    private partial void LogGatewayFailed(Exception exception);
}
