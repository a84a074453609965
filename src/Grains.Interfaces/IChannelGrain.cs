using Push.Grains.Messages;

namespace Push.Grains;

/// <summary>
/// One subscription (UAID + channel): whether it is registered and the VAPID key it is bound to.
/// The endpoint pushes through it, so pushes to dead subscriptions are answered without waking the user.
/// Key: <see cref="ChannelKey.Format"/>.
/// </summary>
[Alias("Push.IChannelGrain")]
public interface IChannelGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task RegisterAsync(byte[]? keyHash);

    [Alias("Unregister")]
    Task UnregisterAsync();

    /// <summary>Whether pushes to this subscription are accepted (used to rank errors as the reference does).</summary>
    [Alias("IsRegistered")]
    Task<bool> IsRegisteredAsync();

    [Alias("Push")]
    Task<DeliveryStatus> PushAsync(Notification notification);
}
