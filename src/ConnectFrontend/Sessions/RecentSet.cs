namespace Push.ConnectFrontend.Sessions;

/// <summary>
/// Remembers the last <c>capacity</c> strings added, by hash, for "seen recently?" checks: a few bytes an
/// entry, so even a long-lived busy session stays small. A hash collision can only make the session skip
/// a live copy of a message; the stored copy still arrives on the next connection.
/// </summary>
internal sealed class RecentSet(int capacity)
{
    private readonly HashSet<int> _members = [];
    private readonly Queue<int> _order = new();

    public void Add(string value)
    {
        var hash = StringComparer.Ordinal.GetHashCode(value);
        if (!_members.Add(hash))
        {
            return;
        }

        _order.Enqueue(hash);
        if (_order.Count > capacity)
        {
            _members.Remove(_order.Dequeue());
        }
    }

    public bool Contains(string value) => _members.Contains(StringComparer.Ordinal.GetHashCode(value));
}
