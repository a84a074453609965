using Push.ConnectFrontend.Broadcasts;

namespace Push.ConnectFrontend.Tests.Broadcasts;

public sealed class BroadcastTrackerTests
{
    [Fact]
    public void Subscribe_ReportsDifferencesAndUnknownIds()
    {
        var tracker = new BroadcastTracker();
        tracker.Apply(new Dictionary<string, string> { ["a"] = "v1", ["b"] = "v1" });

        var result = tracker.Subscribe(new Dictionary<string, string> { ["a"] = "v0", ["b"] = "v1", ["x"] = "v9" });

        Assert.Equal(new Dictionary<string, string> { ["a"] = "v1" }, result.Changed);
        Assert.Equal(new Dictionary<string, string> { ["x"] = "Broadcast not found" }, result.Errors);
        Assert.Equal(["a", "b"], result.Subscribed.Order());
    }

    [Fact]
    public void Subscribe_ManyUnknownIds_ListsOnlyTheFirstFewKilobytes()
    {
        var tracker = new BroadcastTracker();
        tracker.Apply(new Dictionary<string, string> { ["known"] = "v1" });
        var requested = Enumerable.Range(0, 10_000).ToDictionary(i => $"unknown-{i:D5}", _ => "v");
        requested["known"] = "v0";

        var result = tracker.Subscribe(requested);

        Assert.InRange(result.Errors.Sum(e => e.Key.Length + e.Value.Length), 1, BroadcastTracker.MaxErrorChars);
        Assert.Equal(["known"], result.Subscribed);
        Assert.Equal("v1", result.Changed["known"]);
    }

    [Fact]
    public void ChangesSince_OnlySubscribedAndNewer()
    {
        var tracker = new BroadcastTracker();
        tracker.Apply(new Dictionary<string, string> { ["a"] = "v1", ["b"] = "v1" });
        var seen = tracker.ChangeCount;

        tracker.Apply(new Dictionary<string, string> { ["a"] = "v2", ["b"] = "v2", ["c"] = "v1" });
        var (changed, count) = tracker.ChangesSince(seen, new HashSet<string> { "a" });

        Assert.Equal(new Dictionary<string, string> { ["a"] = "v2" }, changed);
        Assert.Empty(tracker.ChangesSince(count, new HashSet<string> { "a" }).Changed);
    }

    [Fact]
    public void Apply_SameVersions_IsNoChange()
    {
        var tracker = new BroadcastTracker();
        tracker.Apply(new Dictionary<string, string> { ["a"] = "v1" });
        var count = tracker.ChangeCount;

        tracker.Apply(new Dictionary<string, string> { ["a"] = "v1" });

        Assert.Equal(count, tracker.ChangeCount);
    }
}
