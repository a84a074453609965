namespace Push.Grains;

/// <summary>The string key of a <see cref="IChannelGrain"/>: <c>{uaid:N}:{chid:N}</c>.</summary>
public static class ChannelKey
{
    public static string Format(Guid uaid, Guid channelId) => $"{uaid:N}:{channelId:N}";

    public static (Guid Uaid, Guid ChannelId) Parse(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return (Guid.ParseExact(key.AsSpan(0, colon), "N"), Guid.ParseExact(key.AsSpan(colon + 1), "N"));
    }

    public static IChannelGrain GetChannelGrain(this IGrainFactory factory, Guid uaid, Guid channelId) =>
        factory.GetGrain<IChannelGrain>(Format(uaid, channelId));
}
