using System.Collections.Concurrent;

namespace Push.LoadTool.Measure;

/// <summary>HTTP answers counted by status code (0 = no answer); safe to add to from many tasks.</summary>
public sealed class StatusCounts
{
    private readonly ConcurrentDictionary<int, long> _counts = new();

    public void Add(int status, long count = 1) => _counts.AddOrUpdate(status, count, (_, n) => n + count);

    public void AddAll(StatusCounts other)
    {
        foreach (var (status, count) in other._counts)
        {
            Add(status, count);
        }
    }

    public long Count(Func<int, bool> which) => _counts.Where(kv => which(kv.Key)).Sum(kv => kv.Value);

    public long Accepted => Count(s => s is >= 200 and < 300);

    public long Errors => Count(s => s is < 200 or >= 300);

    /// <summary>The non-2xx answers, keyed by status as text (for the JSON summary).</summary>
    public IReadOnlyDictionary<string, long> ErrorsByStatus() =>
        _counts.Where(kv => kv.Key is < 200 or >= 300).OrderBy(kv => kv.Key)
            .ToDictionary(kv => kv.Key == 0 ? "no_response" : kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value);
}
