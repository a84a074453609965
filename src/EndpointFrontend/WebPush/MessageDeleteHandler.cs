using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Push.EndpointFrontend.Errors;
using Push.EndpointFrontend.Hosting;
using Push.Grains;
using Push.Grains.Messages;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.WebPush;

/// <summary><c>DELETE /m/{message id}</c>: removes a stored message; 204 whether or not it was there.</summary>
internal sealed partial class MessageDeleteHandler(IGrainFactory grains, EndpointFrontendOptions options, ILogger<MessageDeleteHandler> logger)
{
    public async Task HandleAsync(HttpContext context, string messageId)
    {
        if (!MessageId.TryDecrypt(options.Settings.CryptoKeys, messageId, out var info))
        {
            await ApiError.InvalidMessageId.WriteAsync(context.Response);
            return;
        }

        try
        {
            var message = new MessageRef(info.ChannelId, info.Topic, info.SortKeyMicroseconds);
            await grains.GetClientGrain(info.Uaid).DeleteMessageAsync(message);
        }
        catch (Exception e)
        {
            LogDeleteFailed(e);
            await ApiError.StoreUnavailable.WriteAsync(context.Response);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message delete could not be handed to the grains")]
    private partial void LogDeleteFailed(Exception exception);
}
