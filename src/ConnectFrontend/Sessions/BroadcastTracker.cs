namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// The current broadcast (Megaphone) versions. Without a <c>megaphone_api_url</c> it stays empty,
/// so every broadcast id a client names is reported under <c>errors</c>.
/// </summary>
public sealed class BroadcastTracker
{
    private const string NotFound = "Broadcast not found";
    private volatile IReadOnlyDictionary<string, string> _versions = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Versions => _versions;

    public void Update(IReadOnlyDictionary<string, string> versions) => _versions = new Dictionary<string, string>(versions);

    /// <summary>
    /// Subscribes to the requested broadcasts: returns those whose version differs from the client's,
    /// and the ids the server does not know.
    /// </summary>
    public (Dictionary<string, string> Changed, Dictionary<string, string> Errors, HashSet<string> Subscribed) Subscribe(IReadOnlyDictionary<string, string> requested)
    {
        var current = _versions;
        var changed = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var subscribed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, version) in requested)
        {
            if (!current.TryGetValue(id, out var serverVersion))
            {
                errors[id] = NotFound;
                continue;
            }

            subscribed.Add(id);
            if (serverVersion != version)
            {
                changed[id] = serverVersion;
            }
        }

        return (changed, errors, subscribed);
    }
}
