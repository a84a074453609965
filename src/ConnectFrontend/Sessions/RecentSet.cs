namespace Push.ConnectFrontend.Sessions;

/// <summary>The last <c>capacity</c> strings added, for "seen recently?" checks in bounded memory.</summary>
internal sealed class RecentSet(int capacity)
{
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Add(string value)
    {
        if (!_members.Add(value))
        {
            return;
        }

        _order.Enqueue(value);
        if (_order.Count > capacity)
        {
            _members.Remove(_order.Dequeue());
        }
    }

    public bool Contains(string value) => _members.Contains(value);
}
