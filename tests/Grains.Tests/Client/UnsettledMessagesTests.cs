using Push.Grains.Client;
using Push.Grains.Messages;

namespace Push.Grains.Tests.Client;

public sealed class UnsettledMessagesTests
{
    private static readonly Guid Channel = Guid.NewGuid();

    [Fact]
    public void Visible_RefusedVersion_HiddenAndOthersKeptInOrder()
    {
        var unsettled = new UnsettledMessages();
        var first = TestNotifications.Make(Channel);
        var refused = TestNotifications.Make(Channel);
        var last = TestNotifications.Make(Channel);

        unsettled.AddVersion(refused.Ref, refused.Version);

        Assert.Equal([first, last], unsettled.Visible([first, refused, last]));
    }

    [Fact]
    public void Visible_TopicRefused_NewerVersionOfTheTopicShown()
    {
        var unsettled = new UnsettledMessages();
        var refused = TestNotifications.Make(Channel, topic: "t");
        var newer = TestNotifications.Make(Channel, topic: "t");

        unsettled.AddVersion(refused.Ref, refused.Version);

        Assert.Equal([newer], unsettled.Visible([newer]));
    }

    [Fact]
    public void Replaced_TopicDeleteOwed_NewerMessageNeitherHiddenNorDeleted()
    {
        var unsettled = new UnsettledMessages();
        var deleted = TestNotifications.Make(Channel, topic: "t");
        unsettled.AddDelete(deleted.Ref with { SortKey = 0 });
        var newer = TestNotifications.Make(Channel, topic: "t");
        Assert.True(unsettled.Hides(newer));

        unsettled.Replaced(newer.Ref);

        Assert.False(unsettled.Hides(newer));
        Assert.Empty(unsettled.Deletes);
    }

    [Fact]
    public void AddVersion_Full_RefusesMore()
    {
        var unsettled = new UnsettledMessages();
        for (var i = 0; i < UnsettledMessages.Limit; i++)
        {
            var message = TestNotifications.Make(Channel);
            Assert.True(unsettled.AddVersion(message.Ref, message.Version));
        }

        var extra = TestNotifications.Make(Channel);

        Assert.True(unsettled.IsFull);
        Assert.False(unsettled.AddVersion(extra.Ref, extra.Version));
        Assert.False(unsettled.AddDelete(extra.Ref));
    }

    [Fact]
    public void Settled_RemovedFromTheStore_NoLongerHidden()
    {
        var unsettled = new UnsettledMessages();
        var refused = TestNotifications.Make(Channel);
        var deleted = TestNotifications.Make(Channel);
        unsettled.AddVersion(refused.Ref, refused.Version);
        unsettled.AddDelete(deleted.Ref);

        unsettled.Settled(unsettled.Versions);
        unsettled.Settled(deleted.Ref);

        Assert.True(unsettled.IsEmpty);
        Assert.Equal([refused, deleted], unsettled.Visible([refused, deleted]));
    }
}
