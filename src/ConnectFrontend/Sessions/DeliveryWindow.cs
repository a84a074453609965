using Push.Grains.Messages;

namespace Push.ConnectFrontend.Sessions;

/// <summary>What to do with a message the grain pushed live.</summary>
internal enum LiveDelivery
{
    /// <summary>Not sent: below the minimum urgency, already sent, or no room (it stays stored).</summary>
    Skip,

    /// <summary>Send it and forget it (TTL 0: never stored, so never tracked).</summary>
    SendUntracked,

    /// <summary>Send it; it is now tracked until acked.</summary>
    Send,
}

/// <summary>
/// Which messages a session has sent and not had acked (at most <c>client_channel_capacity</c>), the ones
/// acked lately, acks the grain has not yet taken, and how far the stored queue has been read. Pure: the
/// session asks it what to send and tells it what the grain answered. Its collections are made with the
/// first message, so a session that is never sent one holds none.
/// </summary>
internal sealed class DeliveryWindow(int capacity)
{
    private Dictionary<string, MessageRef>? _unacked;
    private Dictionary<string, AckedMessage>? _pendingAcks;
    private RecentSet? _recentlyAcked;

    // The highest urgency of a stored message skipped for being below the minimum, or null when none is.
    private Urgency? _heldBack;

    public int Capacity => capacity;

    public int UnackedCount => _unacked?.Count ?? 0;

    public bool HasRoom => UnackedCount < capacity;

    /// <summary>The sort key of the last stored message read; the next read starts after it.</summary>
    public long Cursor { get; private set; }

    /// <summary>True when stored messages may remain unsent (no room, or a read failed).</summary>
    public bool DrainIncomplete { get; private set; }

    public Urgency MinimumUrgency { get; private set; } = Urgency.VeryLow;

    public IReadOnlyCollection<AckedMessage> PendingAcks => _pendingAcks?.Values ?? (IReadOnlyCollection<AckedMessage>)[];

    public LiveDelivery OfferLive(Notification notification)
    {
        if (notification.Urgency < MinimumUrgency)
        {
            HoldBack(notification);
            return LiveDelivery.Skip;
        }

        if (notification.Ttl == 0)
        {
            return LiveDelivery.SendUntracked;
        }

        if (WasSent(notification.Version))
        {
            // A late doorbell for a message a drain delivered: never twice.
            return LiveDelivery.Skip;
        }

        if (!HasRoom)
        {
            DrainIncomplete = true;
            return LiveDelivery.Skip;
        }

        Unacked[notification.Version] = notification.Ref;
        return LiveDelivery.Send;
    }

    /// <summary>Starts reading the stored queue, from the start or from the cursor.</summary>
    public void BeginDrain(bool fromStart)
    {
        if (fromStart)
        {
            Cursor = 0;
            _heldBack = null;
        }
    }

    /// <summary>A stored message was read: true when it is to be sent (it is then tracked).</summary>
    public bool OfferStored(Notification notification)
    {
        Cursor = Math.Max(Cursor, notification.SortKey);
        if (WasSent(notification.Version))
        {
            return false;
        }

        if (notification.Urgency < MinimumUrgency)
        {
            HoldBack(notification);
            return false;
        }

        Unacked[notification.Version] = notification.Ref;
        return true;
    }

    /// <summary>The drain stopped: at the end of the queue (complete), or with messages possibly left.</summary>
    public void EndDrain(bool complete) => DrainIncomplete = !complete;

    /// <summary>A read of the store failed: what it would have found is unknown, so any lowering re-reads.</summary>
    public void DrainFailed()
    {
        DrainIncomplete = true;
        _heldBack = Urgency.High;
    }

    /// <summary>Takes the client's acks of sent messages; returns how many were in the window.</summary>
    public int Ack(IEnumerable<string> versions)
    {
        var count = 0;
        foreach (var version in versions)
        {
            if (_unacked is not null && _unacked.Remove(version, out var message))
            {
                (_pendingAcks ??= new(StringComparer.Ordinal))[version] = new AckedMessage(message, version);
                (_recentlyAcked ??= new(2 * capacity)).Add(version);
                count++;
            }
        }

        return count;
    }

    /// <summary>The grain took the pending acks.</summary>
    public void AcksFlushed() => _pendingAcks?.Clear();

    /// <summary>After acks: true when stored messages wait and half the window is free again.</summary>
    public bool ShouldContinueDrain => DrainIncomplete && UnackedCount <= capacity / 2;

    /// <summary>
    /// Sets the minimum urgency. True when the stored queue must be read again from the start: only when
    /// the minimum went down far enough to let through a message that was held back. Alternating values
    /// therefore costs no store reads unless new messages were held back meanwhile.
    /// </summary>
    public bool SetMinimumUrgency(Urgency minimum)
    {
        var lowered = minimum < MinimumUrgency;
        MinimumUrgency = minimum;
        return lowered && _heldBack is { } held && held >= minimum;
    }

    /// <summary>After a renewal: true when the store holds more than the window accounts for.</summary>
    public bool StoreHasMore(int storedCount) => storedCount > UnackedCount;

    private Dictionary<string, MessageRef> Unacked => _unacked ??= new(StringComparer.Ordinal);

    private bool WasSent(string version) => _unacked?.ContainsKey(version) == true || _recentlyAcked?.Contains(version) == true;

    private void HoldBack(Notification notification)
    {
        if (notification.Ttl > 0 && (_heldBack is not { } held || notification.Urgency > held))
        {
            _heldBack = notification.Urgency;
        }
    }
}
