using Push.ConnectFrontend.Sessions;
using Push.Grains.Messages;

namespace Push.ConnectFrontend.Tests.Sessions;

/// <summary>The delivery window's bookkeeping, without a host.</summary>
public sealed class DeliveryWindowTests
{
    [Fact]
    public void OfferLive_Stored_IsTrackedUntilAcked()
    {
        var window = new DeliveryWindow(4);

        Assert.Equal(LiveDelivery.Send, window.OfferLive(Message(1)));

        Assert.Equal(1, window.UnackedCount);
        Assert.Equal(1, window.Ack(["v1"]));
        Assert.Equal(0, window.UnackedCount);
        Assert.Single(window.PendingAcks);
    }

    [Fact]
    public void OfferLive_TtlZero_IsSentUntracked()
    {
        var window = new DeliveryWindow(4);

        Assert.Equal(LiveDelivery.SendUntracked, window.OfferLive(Message(1, ttl: 0)));
        Assert.Equal(0, window.UnackedCount);
    }

    [Fact]
    public void OfferLive_SentOrAckedBefore_IsSkipped()
    {
        var window = new DeliveryWindow(4);
        Assert.True(window.OfferStored(Message(1)));
        Assert.True(window.OfferStored(Message(2)));
        window.Ack(["v2"]);

        Assert.Equal(LiveDelivery.Skip, window.OfferLive(Message(1)));
        Assert.Equal(LiveDelivery.Skip, window.OfferLive(Message(2)));
    }

    [Fact]
    public void OfferLive_WindowFull_IsSkippedAndTheDrainMarkedIncomplete()
    {
        var window = new DeliveryWindow(2);
        window.OfferLive(Message(1));
        window.OfferLive(Message(2));

        Assert.Equal(LiveDelivery.Skip, window.OfferLive(Message(3)));
        Assert.True(window.DrainIncomplete);
        Assert.False(window.HasRoom);
    }

    [Fact]
    public void OfferStored_AdvancesTheCursorEvenForSkippedMessages()
    {
        var window = new DeliveryWindow(4);
        window.SetMinimumUrgency(Urgency.High);

        Assert.False(window.OfferStored(Message(7, sortKey: 70, urgency: Urgency.Low)));

        Assert.Equal(70, window.Cursor);
    }

    [Fact]
    public void BeginDrain_FromStart_ResetsTheCursor()
    {
        var window = new DeliveryWindow(4);
        window.OfferStored(Message(1, sortKey: 10));

        window.BeginDrain(fromStart: false);
        Assert.Equal(10, window.Cursor);
        window.BeginDrain(fromStart: true);
        Assert.Equal(0, window.Cursor);
    }

    [Fact]
    public void ShouldContinueDrain_IncompleteDrain_OnlyOnceHalfTheWindowIsFree()
    {
        var window = new DeliveryWindow(4);
        for (var i = 1; i <= 4; i++)
        {
            window.OfferStored(Message(i));
        }

        window.EndDrain(complete: false);
        window.Ack(["v1"]);
        Assert.False(window.ShouldContinueDrain);
        window.Ack(["v2"]);
        Assert.True(window.ShouldContinueDrain);
    }

    [Fact]
    public void SetMinimumUrgency_LoweredWithNothingHeldBack_NeedsNoRedrain()
    {
        var window = new DeliveryWindow(4);

        for (var i = 0; i < 100; i++)
        {
            Assert.False(window.SetMinimumUrgency(Urgency.High));
            Assert.False(window.SetMinimumUrgency(Urgency.VeryLow));
        }
    }

    [Fact]
    public void SetMinimumUrgency_LoweredBelowAHeldBackMessage_RedrainsOnceUntilAnotherIsHeldBack()
    {
        var window = new DeliveryWindow(4);
        window.SetMinimumUrgency(Urgency.High);
        Assert.Equal(LiveDelivery.Skip, window.OfferLive(Message(1, urgency: Urgency.Low)));

        Assert.False(window.SetMinimumUrgency(Urgency.Normal));
        Assert.True(window.SetMinimumUrgency(Urgency.Low));
        window.BeginDrain(fromStart: true);
        Assert.True(window.OfferStored(Message(1, urgency: Urgency.Low)));
        window.EndDrain(complete: true);

        Assert.False(window.SetMinimumUrgency(Urgency.High));
        Assert.False(window.SetMinimumUrgency(Urgency.VeryLow));
    }

    [Fact]
    public void SetMinimumUrgency_AfterAFailedRead_Redrains()
    {
        var window = new DeliveryWindow(4);
        window.SetMinimumUrgency(Urgency.High);
        window.DrainFailed();

        Assert.True(window.SetMinimumUrgency(Urgency.VeryLow));
    }

    [Fact]
    public void AcksFlushed_ClearsPendingAcksButRemembersThem()
    {
        var window = new DeliveryWindow(4);
        window.OfferStored(Message(1));
        window.Ack(["v1"]);

        window.AcksFlushed();

        Assert.Empty(window.PendingAcks);
        Assert.False(window.OfferStored(Message(1)));
    }

    private static Notification Message(int n, long ttl = 60, long? sortKey = null, Urgency urgency = Urgency.Normal) =>
        new(Guid.Empty, $"v{n}", ttl, 0, null, sortKey ?? n, null, null, urgency);
}
