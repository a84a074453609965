using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Push.Grains;
using Push.Grains.Storage;
using Push.Silo.Dashboard;
using StackExchange.Redis;

namespace Push.Silo.Hosting;

/// <summary>How silos and clients find each other: Redis membership, or loopback for one process alone.</summary>
internal static class ClusterSetup
{
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The grain storage of user records (Push.Grains' ClientGrain.StorageName).</summary>
    public const string ClientGrainStorage = "clients";

    /// <summary>A silo: grains, their state in Redis, and membership in Redis unless it runs alone on the embedded store.</summary>
    public static void ConfigureSilo(ISiloBuilder silo, PushConfiguration configuration, ConfigurationOptions redisOptions, IConnectionMultiplexer redis, bool clustered)
    {
        var settings = configuration.Silo;
        if (clustered)
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = settings.ServiceId;
                o.ClusterId = settings.ClusterId;
            });
            silo.ConfigureEndpoints(AdvertisedAddress(settings), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
            silo.UseRedisClustering(o =>
            {
                o.ConfigurationOptions = redisOptions;
                o.CreateMultiplexer = _ => Task.FromResult<(IConnectionMultiplexer, bool)>((redis, true));
            });

            // Declare a crashed silo dead within seconds, so its grains move and pushes flow again quickly.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 2;
            });
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        }

        // Push's grain calls are short store round trips; a call that takes longer has lost its target.
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        silo.AddRedisGrainStorageAsDefault(o =>
        {
            o.ConfigurationOptions = redisOptions;
            o.CreateMultiplexer = _ => Task.FromResult<(IConnectionMultiplexer, bool)>((redis, true));
            o.DeleteStateOnClear = true;
        });
        // User records expire unless a session pushes their expiry back (ClientGrain.TouchAsync).
        silo.AddRedisGrainStorage(ClientGrainStorage, o =>
        {
            o.ConfigurationOptions = redisOptions;
            o.CreateMultiplexer = _ => Task.FromResult<(IConnectionMultiplexer, bool)>((redis, true));
            o.DeleteStateOnClear = true;
            o.EntryExpiry = settings.UserExpiry;
        });
        silo.Services.AddSingleton(redis);
        silo.Services.AddPushGrains(o =>
        {
            o.MessageLimit = configuration.Connect.MessageLimit;
            o.ChannelLimit = configuration.Silo.MaxChannels;
            o.UserExpiry = settings.UserExpiry;
            o.SaveTimeout = settings.SaveTimeout;
        });
        silo.Services.Configure<MessageStoreOptions>(o => o.QueueExpiry = MessageStoreOptions.ForMaxTtl(configuration.Endpoint.MaxNotificationTtl));
        silo.AddPushDashboard(settings);
    }

    /// <summary>A frontend process: a client of the cluster that finds gateways in Redis and keeps retrying until one answers.</summary>
    public static void ConfigureClient(IClientBuilder client, PushConfiguration configuration, ConfigurationOptions redisOptions)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = configuration.Silo.ServiceId;
            o.ClusterId = configuration.Silo.ClusterId;
        });
        client.UseRedisClustering(o => o.ConfigurationOptions = redisOptions);
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        client.UseConnectionRetryFilter(async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        });
    }

    internal static IPAddress AdvertisedAddress(SiloSettings settings)
    {
        if (settings.AdvertisedIp is { } configured)
        {
            return IPAddress.Parse(configured);
        }

        if (Environment.GetEnvironmentVariable(KnownEnvironment.PodIp) is { } podIp && IPAddress.TryParse(podIp, out var pod))
        {
            return pod;
        }

        try
        {
            return Dns.GetHostAddresses(Dns.GetHostName())
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)) ?? IPAddress.Loopback;
        }
        catch (SocketException)
        {
            return IPAddress.Loopback;
        }
    }
}
