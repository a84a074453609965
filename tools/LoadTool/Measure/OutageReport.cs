using System.Globalization;

namespace Push.LoadTool.Measure;

/// <summary>One push of an outage run: when it left (from the start of the run), how long its answer took, and the status (0: none).</summary>
public readonly record struct PushAnswer(TimeSpan SentAt, TimeSpan Took, int Status);

/// <summary>The figures of an outage run, as printed and as the JSON summary line.</summary>
public sealed record OutageReport(
    long Sent,
    IReadOnlyDictionary<string, long> Answers,
    LatencySummary AcceptedAnswerMs,
    LatencySummary RefusedAnswerMs,
    double? RefusalsFromS,
    double? RefusalsUntilS,
    double? FirstAcceptedAfterRefusalsS,
    long Lost,
    long LateDeliveries,
    long Duplicates)
{
    public string Command { get; init; } = string.Empty;

    public int Clients { get; init; }

    public int Rate { get; init; }

    public double DurationS { get; init; }

    public double TimeoutS { get; init; }

    /// <param name="answers">Every push by number.</param>
    /// <param name="arrivals">How often each push's number reached a client.</param>
    public static OutageReport From(IReadOnlyList<PushAnswer> answers, IReadOnlyDictionary<long, int> arrivals)
    {
        var refused = answers.Where(a => a.Status != 201).ToList();
        var lastRefusal = refused.Count == 0 ? (TimeSpan?)null : refused.Max(a => a.SentAt);
        var firstAfter = lastRefusal is { } last ? answers.Where(a => a.Status == 201 && a.SentAt > last).Select(a => (TimeSpan?)a.SentAt).Min() : null;
        var byStatus = answers.GroupBy(a => a.Status).OrderBy(g => g.Key)
            .ToDictionary(g => g.Key == 0 ? "no_answer" : g.Key.ToString(CultureInfo.InvariantCulture), g => (long)g.Count());
        return new OutageReport(
            answers.Count,
            byStatus,
            LatencySummary.From(answers.Where(a => a.Status == 201).Select(a => a.Took)),
            LatencySummary.From(refused.Where(a => a.Status != 0).Select(a => a.Took)),
            refused.Count == 0 ? null : Seconds(refused.Min(a => a.SentAt)),
            lastRefusal is { } l ? Seconds(l) : null,
            firstAfter is { } f ? Seconds(f) : null,
            Enumerable.Range(0, answers.Count).LongCount(i => answers[i].Status == 201 && !arrivals.ContainsKey(i)),
            Enumerable.Range(0, answers.Count).LongCount(i => answers[i].Status != 201 && arrivals.ContainsKey(i)),
            arrivals.Values.LongCount(n => n > 1));
    }

    public string Describe() =>
        $"sent {Sent}: {string.Join(", ", Answers.Select(kv => $"{kv.Key} {kv.Value}"))}\n" +
        $"201 answered in {AcceptedAnswerMs}\nrefusals answered in {RefusedAnswerMs}\n" +
        $"refusals sent from {RefusalsFromS} s to {RefusalsUntilS} s; first accepted after them sent at {FirstAcceptedAfterRefusalsS} s\n" +
        $"accepted but lost {Lost}; delivered without a 201 (late) {LateDeliveries}; delivered twice {Duplicates}";

    private static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 2);
}
