using System.Text.Json;
using System.Text.RegularExpressions;
using Push.EndpointFrontend.Errors;
using Push.Shared.Tokens;

namespace Push.EndpointFrontend.Registration;

/// <summary>The JSON body of a registration: <c>{"token", "channelID"?, "key"?, "aps"?}</c>.</summary>
internal sealed partial record RegistrationBody(string Token, Guid? ChannelId, string? Key)
{
    /// <summary>Parses and checks a registration body for <paramref name="router"/>.</summary>
    public static ApiError? TryParse(byte[] json, RouterType router, out RegistrationBody? body)
    {
        body = null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String)
            {
                return new ApiError(400, null, "Json deserialize error: missing field `token`");
            }

            if (!TryOptionalChannel(root, out var channelId) || !TryOptionalString(root, "key", out var key) || !TryOptionalString(root, "aps", out _))
            {
                return new ApiError(400, null, "Json deserialize error: invalid field type");
            }

            if (router != RouterType.WebPush && !BridgeToken().IsMatch(token.GetString()!))
            {
                return new ApiError(400, null, "Invalid router token");
            }

            body = new RegistrationBody(token.GetString()!, channelId, key);
            return null;
        }
        catch (JsonException e)
        {
            return new ApiError(400, null, "Json deserialize error: " + e.Message.Split('\n')[0]);
        }
    }

    /// <summary>The optional body of a new subscription: <c>{"channelID"?, "key"?}</c>; anything unreadable counts as empty.</summary>
    public static (Guid? ChannelId, string? Key) ParseSubscription(byte[] json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && TryOptionalChannel(root, out var channelId) && TryOptionalString(root, "key", out var key))
            {
                return (channelId, key);
            }
        }
        catch (JsonException)
        {
            // Treated as empty, as the reference does.
        }

        return (null, null);
    }

    private static bool TryOptionalChannel(JsonElement root, out Guid? channelId)
    {
        channelId = null;
        if (!root.TryGetProperty("channelID", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.String && UuidText.TryParseAny(value.GetString(), out var parsed))
        {
            channelId = parsed;
            return true;
        }

        return false;
    }

    private static bool TryOptionalString(JsonElement root, string name, out string? text)
    {
        text = null;
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return text is not null;
    }

    [GeneratedRegex("^[^ ]{8,}$")]
    private static partial Regex BridgeToken();
}
