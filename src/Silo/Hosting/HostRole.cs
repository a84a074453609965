namespace Push.Silo.Hosting;

/// <summary>What one Push process runs.</summary>
public enum HostRole
{
    /// <summary>The silo and both frontends in one process (the default).</summary>
    All,

    /// <summary>Only the silo: grains and storage. Frontends reach it through its gateway.</summary>
    Silo,

    /// <summary>Only the connect frontend (WebSocket), a client of the cluster.</summary>
    Connect,

    /// <summary>Only the endpoint frontend (WebPush API), a client of the cluster.</summary>
    Endpoint,
}
