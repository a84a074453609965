using Orleans.Placement;
using Push.Grains.Messages;

namespace Push.Grains.Channel;

/// <summary>
/// One subscription. Calls only go from here to the user's <see cref="IClientGrain"/>, never back,
/// so the two grains cannot wait on each other. Placed like <see cref="IClientGrain"/>.
/// </summary>
[PreferLocalPlacement]
[CollectionAgeLimit(Minutes = 5)]
internal sealed class ChannelGrain(
    [PersistentState("channel")] IPersistentState<ChannelState> state,
    TimeProvider time) : Grain, IChannelGrain
{
    private (Guid Uaid, Guid ChannelId)? _key;

    // The key never changes for an activation: parse it once, not on every push.
    private (Guid Uaid, Guid ChannelId) Key => _key ??= ChannelKey.Parse(this.GetPrimaryKeyString());

    private IClientGrain Client => GrainFactory.GetGrain<IClientGrain>(Key.Uaid);

    public async Task RegisterAsync(byte[]? keyHash)
    {
        if (!state.State.Registered || !SameKey(state.State.KeyHash, keyHash))
        {
            state.State = new ChannelState { Registered = true, KeyHash = keyHash, RegisteredAt = time.GetUtcNow() };
            await state.WriteStateAsync();
        }

        await Client.AddChannelAsync(Key.ChannelId);
    }

    public async Task UnregisterAsync()
    {
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        state.State = new ChannelState();
        await Client.RemoveChannelAsync(Key.ChannelId);
    }

    public Task<bool> IsRegisteredAsync() => Task.FromResult(state.State.Registered);

    public async Task<DeliveryStatus> PushAsync(Notification notification)
    {
        if (!state.State.Registered)
        {
            return DeliveryStatus.NoSubscription;
        }

        var status = await Client.DeliverAsync(notification);
        if (status == DeliveryStatus.NoSubscription)
        {
            // The user was dropped as a whole; remember it here so later pushes stop at this grain.
            await state.ClearStateAsync();
            state.State = new ChannelState();
        }

        return status;
    }

    private static bool SameKey(byte[]? a, byte[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
