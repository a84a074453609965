using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Push.EndpointFrontend.Errors;
using Push.EndpointFrontend.Hosting;
using Push.EndpointFrontend.Http;
using Push.Grains;
using Push.Grains.Messages;
using Push.Shared.Crypto;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.Registration;

/// <summary>
/// The registration API (<c>/v1/{router_type}/{app_id}/registration…</c>) for clients that register over
/// HTTP instead of the WebSocket. Checks run in the reference's order: the UAID, the secret, the router
/// type, the user, then the body. Without <c>auth_keys</c> the API is off.
/// </summary>
internal sealed partial class RegistrationHandler(IGrainFactory grains, EndpointFrontendOptions options, ILogger<RegistrationHandler> logger)
{
    private static readonly ApiError Disabled = new(404, null, "The registration API is off: no auth_keys are set");
    private static readonly ApiError NoUser = new(410, 103, "UAID not found");
    private static readonly ApiError InvalidRouterType = new(400, 108, "Invalid router type");
    private static readonly ApiError BadKey = new(500, null, "Error while creating endpoint URL: Error decoding VAPID key");

    private IReadOnlyList<string> AuthKeys => options.Settings.AuthKeys;

    /// <summary><c>POST /v1/{router_type}/{app_id}/registration</c>: a new user with one channel.</summary>
    public Task RegisterAsync(HttpContext context, string routerType, string appId) => RespondAsync(context, async () =>
    {
        if (AuthKeys.Count == 0)
        {
            return Disabled;
        }

        if (!RouterTypes.TryParse(routerType, out var router))
        {
            return InvalidRouterType;
        }

        var (error, body) = await ReadRegistrationAsync(context.Request, router);
        if (error is not null)
        {
            return error;
        }

        if (CheckRouter(router, appId) is { } routerError)
        {
            return routerError;
        }

        if (!EndpointToken.TryHashKey(body!.Key, out var keyHash))
        {
            return BadKey;
        }

        var uaid = Guid.NewGuid();
        var channelId = body.ChannelId ?? Guid.NewGuid();
        if (await grains.GetClientGrain(uaid).AddChannelAsync(channelId) == ChannelAdded.LimitReached)
        {
            return ApiError.TooManyChannels;
        }
        await WriteJsonAsync(context, w =>
        {
            w.WriteString("uaid", uaid.ToString("D"));
            w.WriteString("channelID", channelId.ToString("D"));
            w.WriteString("endpoint", Endpoint(uaid, channelId, keyHash));
            w.WriteString("secret", RegistrationSecret.Create(AuthKeys[0], uaid));
        });
        return null;
    });

    /// <summary><c>PUT|GET|DELETE /v1/{router_type}/{app_id}/registration/{uaid}</c>.</summary>
    public Task UserAsync(HttpContext context, string routerType, string appId, string uaidText) => RespondAsync(context, async () =>
    {
        var (error, uaid, router) = await AuthorizeAsync(context, routerType, uaidText);
        if (error is not null)
        {
            return error;
        }

        var user = grains.GetClientGrain(uaid);
        switch (context.Request.Method)
        {
            case "PUT":
                var (bodyError, _) = await ReadRegistrationAsync(context.Request, router);
                return bodyError ?? CheckRouter(router, appId);
            case "GET":
                var channels = await user.GetChannelsAsync();
                await WriteJsonAsync(context, w =>
                {
                    w.WriteString("uaid", uaid.ToString("D"));
                    w.WriteStartArray("channelIDs");
                    foreach (var channel in channels)
                    {
                        w.WriteStringValue(channel.ToString("D"));
                    }

                    w.WriteEndArray();
                });
                return null;
            default:
                await user.DropAsync();
                return null;
        }
    });

    /// <summary><c>POST /v1/{router_type}/{app_id}/registration/{uaid}/subscription</c>: another channel.</summary>
    public Task NewChannelAsync(HttpContext context, string routerType, string uaidText) => RespondAsync(context, async () =>
    {
        var (error, uaid, _) = await AuthorizeAsync(context, routerType, uaidText);
        if (error is not null)
        {
            return error;
        }

        var (body, tooLarge) = await RequestBody.ReadAsync(context.Request, options.Settings.MaxDataBytes);
        if (tooLarge)
        {
            return ApiError.PayloadTooLarge(options.Settings.MaxDataBytes);
        }

        var (requestedChannel, key) = body.Length == 0 ? (null, null) : RegistrationBody.ParseSubscription(body);
        if (!EndpointToken.TryHashKey(key, out var keyHash))
        {
            return BadKey;
        }

        var channelId = requestedChannel ?? Guid.NewGuid();
        if (await grains.GetClientGrain(uaid).AddChannelAsync(channelId) == ChannelAdded.LimitReached)
        {
            return ApiError.TooManyChannels;
        }
        await WriteJsonAsync(context, w =>
        {
            w.WriteString("channelID", channelId.ToString("D"));
            w.WriteString("endpoint", Endpoint(uaid, channelId, keyHash));
        });
        return null;
    });

    /// <summary><c>DELETE /v1/{router_type}/{app_id}/registration/{uaid}/subscription/{chid}</c>.</summary>
    public Task DeleteChannelAsync(HttpContext context, string routerType, string uaidText, string channelText) => RespondAsync(context, async () =>
    {
        var (error, uaid, _) = await AuthorizeAsync(context, routerType, uaidText);
        if (error is not null)
        {
            return error;
        }

        var user = grains.GetClientGrain(uaid);
        if (!UuidText.TryParseAny(channelText, out var channelId) || !await user.HasChannelAsync(channelId))
        {
            return ApiError.NoSubscription;
        }

        await user.RemoveChannelAsync(channelId);
        return null;
    });

    private async Task<(ApiError? Error, Guid Uaid, RouterType Router)> AuthorizeAsync(HttpContext context, string routerType, string uaidText)
    {
        if (AuthKeys.Count == 0)
        {
            return (Disabled, default, default);
        }

        if (!UuidText.TryParseAny(uaidText, out var uaid))
        {
            return (NoUser, default, default);
        }

        if (CheckSecret(context.Request.Headers.FirstValue("Authorization"), uaid) is { } authError)
        {
            return (authError, default, default);
        }

        if (!RouterTypes.TryParse(routerType, out var router))
        {
            return (InvalidRouterType, default, default);
        }

        return await grains.GetClientGrain(uaid).ExistsAsync() ? (null, uaid, router) : (NoUser, default, default);
    }

    private ApiError? CheckSecret(string? authorization, Guid uaid)
    {
        if (authorization is null)
        {
            return ApiError.Vapid("Invalid Local Auth missing auth header");
        }

        var parts = authorization.Split(' ', 2);
        if (parts.Length < 2 || parts[0].ToLowerInvariant() is not ("bearer" or "webpush"))
        {
            return ApiError.Vapid("Invalid Local Auth missing auth token");
        }

        return RegistrationSecret.IsValid(parts[1], uaid, AuthKeys) ? null : ApiError.Vapid("Invalid Local Auth incorrect auth token");
    }

    private async Task<(ApiError? Error, RegistrationBody? Body)> ReadRegistrationAsync(HttpRequest request, RouterType router)
    {
        if (request.ContentType is not { } type || !(type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || type.Contains("+json", StringComparison.OrdinalIgnoreCase)))
        {
            return (new ApiError(400, null, "Content type error"), null);
        }

        var (bytes, tooLarge) = await RequestBody.ReadAsync(request, options.Settings.MaxDataBytes);
        if (tooLarge)
        {
            return (ApiError.PayloadTooLarge(options.Settings.MaxDataBytes), null);
        }

        var error = RegistrationBody.TryParse(bytes, router, out var body);
        return (error, body);
    }

    // Push has no FCM or APNs bridge configured, so those routers refuse every app the way autopush
    // refuses an unconfigured one.
    private static ApiError? CheckRouter(RouterType router, string appId) => router switch
    {
        RouterType.Fcm or RouterType.Gcm => new ApiError(400, 106, $"User has invalid app ID {appId}"),
        RouterType.Apns => new ApiError(400, null, "Release channel is invalid"),
        _ => null,
    };

    private string Endpoint(Guid uaid, Guid channelId, byte[]? keyHash) =>
        EndpointUrl.Mint(options.Settings.CryptoKeys, options.LocationOrigin, uaid, channelId, keyHash);

    private async Task RespondAsync(HttpContext context, Func<Task<ApiError?>> handle)
    {
        ApiError? error;
        try
        {
            error = await handle();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRegistrationFailed(e);
            error = new ApiError(503, null, "The service is temporarily unavailable");
        }

        if (error is not null)
        {
            await error.WriteAsync(context.Response);
        }
        else if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
        await writer.FlushAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A registration request failed in the grains")]
    private partial void LogRegistrationFailed(Exception exception);
}
