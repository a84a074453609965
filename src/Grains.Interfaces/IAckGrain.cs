using Push.Grains.Messages;

namespace Push.Grains;

/// <summary>
/// Removes acknowledged messages of many users in one call and one store round trip. Only for
/// messages without a topic: their names are unique, so removing one can race with nothing the
/// user's grain does. A topic message may be replaced while its ack is on the way, so its ack goes
/// through <see cref="IClientGrain.AckAsync"/>, which checks the version the client saw.
/// </summary>
[Alias("Push.IAckGrain")]
public interface IAckGrain : IGrainWithIntegerKey
{
    [Alias("Ack")]
    Task AckAsync(IReadOnlyList<UserAcks> acks);
}
