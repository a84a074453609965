using Push.Grains.Messages;
using Push.Grains.Storage;

namespace Push.Grains.Client;

/// <summary>
/// Messages a user's queue may hold that must not reach the client, to remove once the store answers
/// again: pushes whose save failed (the reply was lost or came too late, so the write may have landed
/// although the push was refused), and acks and deletes that could not reach the store. Held by the
/// user's grain for as long as it is active, and bounded: a full set makes the grain refuse pushes
/// without writing, so nothing refused is ever left unhidden.
/// </summary>
internal sealed class UnsettledMessages
{
    /// <summary>The most messages one user holds here.</summary>
    public const int Limit = 256;

    // By message id: removed only if the store still holds that very version (a topic may have a newer one).
    private readonly Dictionary<string, AckedMessage> _versions = new(StringComparer.Ordinal);

    // By store member: a sender's delete names a message without its version.
    private readonly Dictionary<string, MessageRef> _deletes = new(StringComparer.Ordinal);

    public int Count => _versions.Count + _deletes.Count;

    public bool IsEmpty => Count == 0;

    public bool IsFull => Count >= Limit;

    public IReadOnlyList<AckedMessage> Versions => [.. _versions.Values];

    public IReadOnlyList<MessageRef> Deletes => [.. _deletes.Values];

    /// <summary>A message whose save or ack failed; false when the set is full.</summary>
    public bool AddVersion(MessageRef message, string version)
    {
        if (IsFull && !_versions.ContainsKey(version))
        {
            return false;
        }

        _versions[version] = new AckedMessage(message, version);
        return true;
    }

    /// <summary>A sender's delete that failed; false when the set is full.</summary>
    public bool AddDelete(MessageRef message)
    {
        var member = MessageKeys.Member(message);
        if (IsFull && !_deletes.ContainsKey(member))
        {
            return false;
        }

        _deletes[member] = message;
        return true;
    }

    /// <summary>
    /// A newer message was saved under the same name (a topic): it replaced the stored one, so a delete
    /// still owed for that name no longer applies and must not remove the new one.
    /// </summary>
    public void Replaced(MessageRef message)
    {
        if (_deletes.Count > 0 && message.Topic is not null)
        {
            _deletes.Remove(MessageKeys.Member(message));
        }
    }

    /// <summary>The messages of <paramref name="messages"/> the client may be sent, in order.</summary>
    public IReadOnlyList<Notification> Visible(IReadOnlyList<Notification> messages) =>
        IsEmpty ? messages : [.. messages.Where(m => !Hides(m))];

    public bool Hides(Notification message) =>
        _versions.ContainsKey(message.Version) || (_deletes.Count > 0 && _deletes.ContainsKey(MessageKeys.Member(message.Ref)));

    /// <summary>These were removed from the store (or found gone).</summary>
    public void Settled(IEnumerable<AckedMessage> versions)
    {
        foreach (var message in versions)
        {
            _versions.Remove(message.Version);
        }
    }

    /// <summary>This delete reached the store.</summary>
    public void Settled(MessageRef delete) => _deletes.Remove(MessageKeys.Member(delete));
}
