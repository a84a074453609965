using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Push.Testing.Streams;

/// <summary>What happened to one push of a stream: when it went out, when it was answered, and how.</summary>
/// <param name="Status">The HTTP status, or null when the request failed or timed out without one.</param>
public sealed record PushOutcome(string Id, TimeSpan SentAt, TimeSpan AnsweredAt, HttpStatusCode? Status)
{
    public bool Accepted => Status == HttpStatusCode.Created;
}

/// <summary>
/// An open-loop sender: pushes leave at a fixed rate to random receivers whatever the answers take (a
/// closed loop would slow down exactly when the service is in trouble and hide the failure), and
/// every outcome is recorded against one clock that the test also uses to time its faults.
/// </summary>
public sealed class PushStream(IReadOnlyList<StreamReceiver> receivers, int pushesPerSecond) : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = RequestTimeout };
    private readonly ConcurrentBag<PushOutcome> _outcomes = [];
    private readonly List<Task> _inFlight = [];
    private readonly Random _random = new(20261128);
    private StreamReceiver[] _targets = [.. receivers];
    private int _sequence;
    private long _startTimestamp;

    public Stopwatch Clock { get; } = new();

    public int PushesPerSecond => pushesPerSecond;

    public IReadOnlyCollection<PushOutcome> Outcomes => _outcomes;

    public IEnumerable<string> AcceptedIds => _outcomes.Where(o => o.Accepted).Select(o => o.Id);

    /// <summary>Includes more receivers in the stream from now on (e.g. clients that joined mid-stream).</summary>
    public void AddTargets(IEnumerable<StreamReceiver> more) => Volatile.Write(ref _targets, [.. Volatile.Read(ref _targets), .. more]);

    /// <summary>Streams for <paramref name="duration"/>, then waits for every request to be answered.</summary>
    public async Task RunAsync(TimeSpan duration)
    {
        _startTimestamp = Stopwatch.GetTimestamp();
        Clock.Start();
        using (var tick = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / pushesPerSecond)))
        {
            while (Clock.Elapsed < duration && await tick.WaitForNextTickAsync())
            {
                _inFlight.Add(PushOneAsync());
            }
        }

        await Task.WhenAll(_inFlight);
    }

    /// <summary>Waits until every accepted push has reached its receiver, and returns when that was.</summary>
    public async Task<TimeSpan> WaitForDeliveryAsync(TimeSpan timeout)
    {
        var accepted = AcceptedIds.ToList();
        await Eventually.WaitAsync(
            () => Task.FromResult(Missing(accepted)),
            missing => missing == 0,
            timeout,
            $"every one of {accepted.Count} accepted pushes to arrive");
        return Clock.Elapsed;
    }

    /// <summary>How many of <paramref name="ids"/> no receiver has seen.</summary>
    public int Missing(IEnumerable<string> ids)
    {
        var received = Volatile.Read(ref _targets).SelectMany(r => r.Received.Keys).ToHashSet(StringComparer.Ordinal);
        return ids.Count(id => !received.Contains(id));
    }

    /// <summary>
    /// For each accepted push answered within [<paramref name="from"/>, <paramref name="to"/>): the time from
    /// its 201 to its first arrival at the client (pushes not arrived are left out; check them with
    /// <see cref="WaitForDeliveryAsync"/> first).
    /// </summary>
    public List<TimeSpan> DeliveryLatencies(TimeSpan from, TimeSpan to)
    {
        var arrived = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, at) in Volatile.Read(ref _targets).SelectMany(r => r.FirstReceivedAt))
        {
            arrived[id] = at;
        }

        return [.. _outcomes
            .Where(o => o.Accepted && o.AnsweredAt >= from && o.AnsweredAt < to && arrived.ContainsKey(o.Id))
            .Select(o => Stopwatch.GetElapsedTime(_startTimestamp, arrived[o.Id]) - o.AnsweredAt)];
    }

    /// <summary>The <paramref name="percentile"/> (0-100) of <paramref name="values"/>, nearest rank.</summary>
    public static TimeSpan Percentile(IReadOnlyCollection<TimeSpan> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Pushes that reached a client although they were not answered 201 (refused, or not answered at all).</summary>
    public IReadOnlyList<PushOutcome> DeliveredButNotAccepted()
    {
        var received = Volatile.Read(ref _targets).SelectMany(r => r.Received.Keys).ToHashSet(StringComparer.Ordinal);
        return [.. _outcomes.Where(o => !o.Accepted && received.Contains(o.Id))];
    }

    /// <summary>The first push sent after <paramref name="moment"/>, or null.</summary>
    public PushOutcome? FirstSentAfter(TimeSpan moment) => _outcomes.Where(o => o.SentAt > moment).MinBy(o => o.SentAt);

    /// <summary>The first push sent after <paramref name="moment"/> that was accepted, or null.</summary>
    public PushOutcome? FirstAcceptedSentAfter(TimeSpan moment) =>
        _outcomes.Where(o => o.Accepted && o.SentAt > moment).MinBy(o => o.SentAt);

    /// <summary>The last push that was refused or failed, or null.</summary>
    public PushOutcome? LastRefused() => _outcomes.Where(o => !o.Accepted).MaxBy(o => o.SentAt);

    /// <summary>One line of figures for the test's output and the report.</summary>
    public string Summary()
    {
        var list = Volatile.Read(ref _targets);
        var byStatus = string.Join(", ", _outcomes.GroupBy(o => o.Status?.ToString("D") ?? "no answer").OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
        return $"{pushesPerSecond} pushes/s to {list.Length} clients: sent {_outcomes.Count} ({byStatus}); " +
            $"distinct received {list.Sum(r => r.Received.Count)}, received again after ack {list.Sum(r => r.DuplicatesAfterAck)}, reconnects {list.Sum(r => r.Reconnects)}";
    }

    public void Dispose() => _http.Dispose();

    private async Task PushOneAsync()
    {
        var id = $"p{Interlocked.Increment(ref _sequence)}";
        var targets = Volatile.Read(ref _targets);
        StreamReceiver target;
        lock (_random)
        {
            target = targets[_random.Next(targets.Length)];
        }

        var sentAt = Clock.Elapsed;
        HttpStatusCode? status;
        try
        {
            using var response = await _http.PushAsync(target.Endpoint, id, PushHttp.Aes128Gcm("3600"));
            status = response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            status = null;
        }

        _outcomes.Add(new PushOutcome(id, sentAt, Clock.Elapsed, status));
    }
}
