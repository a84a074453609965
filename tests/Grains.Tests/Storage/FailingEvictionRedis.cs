using System.Reflection;
using StackExchange.Redis;

namespace Push.Grains.Tests.Storage;

/// <summary>
/// A real store connection whose databases fail the eviction read (ZRANGE by rank), as a store that
/// drops the connection between the save and the eviction would.
/// </summary>
public class FailingEvictionRedis : DispatchProxy
{
    private object _target = null!;

    public static IConnectionMultiplexer Wrap(IConnectionMultiplexer redis)
    {
        var proxy = Create<IConnectionMultiplexer, FailingEvictionRedis>();
        ((FailingEvictionRedis)(object)proxy)._target = redis;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IDatabase.SortedSetRangeByRankAsync))
        {
            throw new RedisException("connection lost before the eviction");
        }

        var result = targetMethod.Invoke(_target, args);
        if (result is IDatabase database and not IBatch)
        {
            var proxy = Create<IDatabase, FailingEvictionRedis>();
            ((FailingEvictionRedis)(object)proxy)._target = database;
            return proxy;
        }

        return result;
    }
}
