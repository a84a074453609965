using System.Runtime.CompilerServices;

namespace Push.Grains;

/// <summary>
/// References to <see cref="IClientGrain"/> without resolving the interface on every call:
/// <c>GetGrain&lt;T&gt;(Guid)</c> reads the interface's attributes by reflection each time, which showed
/// up as about a tenth of the allocations of a push. The grain and interface types are looked up once
/// per factory.
/// </summary>
public static class ClientGrainReferences
{
    private static readonly ConditionalWeakTable<IGrainFactory, ClientGrainTypes> Types = new();

    public static IClientGrain GetClientGrain(this IGrainFactory factory, Guid uaid)
    {
        var types = Types.GetValue(factory, ClientGrainTypes.Of);
        return (IClientGrain)factory.GetGrain(GrainId.Create(types.Grain, GrainIdKeyExtensions.CreateGuidKey(uaid)), types.Interface);
    }

    private sealed record ClientGrainTypes(GrainType Grain, GrainInterfaceType Interface)
    {
        public static ClientGrainTypes Of(IGrainFactory factory)
        {
            var probe = (GrainReference)factory.GetGrain<IClientGrain>(Guid.Empty);
            return new ClientGrainTypes(probe.GrainId.Type, probe.InterfaceType);
        }
    }
}
