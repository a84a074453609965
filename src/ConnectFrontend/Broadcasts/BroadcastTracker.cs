namespace Push.ConnectFrontend.Broadcasts;

/// <summary>
/// The current broadcast (Megaphone) versions and a change counter: every added or changed broadcast
/// gets the next count, so a session that remembers the count it last saw can ask what changed since.
/// Broadcasts are never removed. Without a <c>megaphone_api_url</c> it stays empty, and every broadcast
/// id a client names is reported under <c>errors</c>.
/// </summary>
public sealed class BroadcastTracker
{
    /// <summary>
    /// The most one reply lists under <c>errors</c>, counted as each entry's id plus its error text. A short
    /// unknown id comes back several times its size, so without a cap a client that stops reading could
    /// make the server hold about 200 kB of reply per frame it sends. Real clients name a few known ids.
    /// </summary>
    public const int MaxErrorChars = 4096;

    private const string NotFound = "Broadcast not found";
    private readonly Lock _gate = new();
    private volatile Snapshot _current = new(new Dictionary<string, Entry>(StringComparer.Ordinal), 0);

    /// <summary>True once a Megaphone source is configured; sessions then check for changes at ping ticks.</summary>
    public bool Enabled { get; internal set; }

    public long ChangeCount => _current.ChangeCount;

    /// <summary>Takes the latest versions from the source.</summary>
    public void Apply(IReadOnlyDictionary<string, string> latest)
    {
        lock (_gate)
        {
            var entries = new Dictionary<string, Entry>(_current.Entries, StringComparer.Ordinal);
            var count = _current.ChangeCount;
            foreach (var (id, version) in latest)
            {
                if (!entries.TryGetValue(id, out var known) || known.Version != version)
                {
                    entries[id] = new Entry(version, ++count);
                }
            }

            if (count != _current.ChangeCount)
            {
                _current = new Snapshot(entries, count);
            }
        }
    }

    /// <summary>
    /// Subscribes a client to <paramref name="requested"/>: returns the ones whose version differs from
    /// the client's, the ids the server does not know (up to <see cref="MaxErrorChars"/> of them), the
    /// known ids, and the change count seen.
    /// </summary>
    public BroadcastSubscription Subscribe(IReadOnlyDictionary<string, string> requested)
    {
        var snapshot = _current;
        var changed = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var subscribed = new HashSet<string>(StringComparer.Ordinal);
        var errorChars = 0;
        foreach (var (id, version) in requested)
        {
            if (!snapshot.Entries.TryGetValue(id, out var entry))
            {
                errorChars += id.Length + NotFound.Length;
                if (errorChars <= MaxErrorChars)
                {
                    errors[id] = NotFound;
                }

                continue;
            }

            subscribed.Add(id);
            if (entry.Version != version)
            {
                changed[id] = entry.Version;
            }
        }

        return new BroadcastSubscription(changed, errors, subscribed, snapshot.ChangeCount);
    }

    /// <summary>The subscribed broadcasts changed after <paramref name="seen"/>, and the count now.</summary>
    public (Dictionary<string, string> Changed, long ChangeCount) ChangesSince(long seen, IReadOnlySet<string> subscribed)
    {
        var snapshot = _current;
        var changed = new Dictionary<string, string>(StringComparer.Ordinal);
        if (snapshot.ChangeCount > seen)
        {
            foreach (var id in subscribed)
            {
                if (snapshot.Entries.TryGetValue(id, out var entry) && entry.Change > seen)
                {
                    changed[id] = entry.Version;
                }
            }
        }

        return (changed, snapshot.ChangeCount);
    }

    private sealed record Entry(string Version, long Change);

    private sealed record Snapshot(IReadOnlyDictionary<string, Entry> Entries, long ChangeCount);
}

/// <summary>The result of subscribing a client to broadcasts.</summary>
public sealed record BroadcastSubscription(
    Dictionary<string, string> Changed,
    Dictionary<string, string> Errors,
    HashSet<string> Subscribed,
    long ChangeCount);
