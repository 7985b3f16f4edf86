namespace P2P.Networking.Pubsub;

/// <summary>Message ids seen recently; each is forgotten after a time-to-live so memory stays bounded by the message rate.</summary>
public sealed class SeenCache(TimeProvider time, TimeSpan ttl)
{
    private readonly Dictionary<MessageId, DateTimeOffset> _expiry = [];
    private readonly Queue<(MessageId Id, DateTimeOffset Expiry)> _order = new();

    public int Count => _expiry.Count;

    /// <summary>Marks the id seen; false when it already was.</summary>
    public bool Add(MessageId id)
    {
        Prune();
        var expiry = time.GetUtcNow() + ttl;
        if (!_expiry.TryAdd(id, expiry))
        {
            return false;
        }
        _order.Enqueue((id, expiry));
        return true;
    }

    public bool Contains(MessageId id)
    {
        Prune();
        return _expiry.ContainsKey(id);
    }

    public void Prune()
    {
        var now = time.GetUtcNow();
        while (_order.TryPeek(out var head) && head.Expiry <= now)
        {
            _order.Dequeue();
            _expiry.Remove(head.Id);
        }
    }
}
