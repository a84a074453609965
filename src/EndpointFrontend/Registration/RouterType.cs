namespace Push.EndpointFrontend.Registration;

/// <summary>The router types of the registration API. Push delivers over WebPush only; the bridges are not configured.</summary>
internal enum RouterType
{
    WebPush,
    Fcm,
    Gcm,
    Apns,
}

internal static class RouterTypes
{
    public static bool TryParse(string text, out RouterType type)
    {
        (var ok, type) = text.ToLowerInvariant() switch
        {
            "webpush" => (true, RouterType.WebPush),
            "fcm" => (true, RouterType.Fcm),
            "gcm" => (true, RouterType.Gcm),
            "apns" => (true, RouterType.Apns),
            _ => (false, RouterType.WebPush),
        };
        return ok;
    }
}
