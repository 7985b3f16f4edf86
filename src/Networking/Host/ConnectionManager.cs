using P2P.Networking.Core;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;

namespace P2P.Networking.Host;

/// <summary>
/// The set of open connections and the policies on it: one connection per peer after a simultaneous
/// dial, and trimming to the low watermark (outside the grace period, never a protected peer) above the high watermark.
/// </summary>
internal sealed class ConnectionManager(PeerId localPeer, NetworkOptions options, TimeProvider time, Func<PeerId, bool> isProtected)
{
    private readonly object _gate = new();
    private readonly List<Connection> _connections = [];

    public IReadOnlyList<Connection> Open()
    {
        lock (_gate)
        {
            return _connections.Where(c => !c.IsClosed).ToArray();
        }
    }

    public IReadOnlyList<Connection> All()
    {
        lock (_gate)
        {
            return [.. _connections];
        }
    }

    public IReadOnlyList<Connection> ForPeer(PeerId peer)
    {
        lock (_gate)
        {
            return _connections.Where(c => c.RemotePeer == peer && !c.IsClosed).ToArray();
        }
    }

    /// <summary>
    /// Adds the connection. Of two to the same peer in opposite directions, both sides keep the one
    /// dialled by the smaller peer id (so they agree without talking); in the same direction the older
    /// one stays. Returns the connection to use, the duplicate to close and the connections to trim.
    /// </summary>
    public (Connection Winner, Connection? Loser, Connection[] Trimmed) Add(Connection connection)
    {
        lock (_gate)
        {
            var existing = _connections.FirstOrDefault(c => c.RemotePeer == connection.RemotePeer && !c.IsClosed);
            _connections.Add(connection);
            Connection winner = connection;
            Connection? loser = null;
            if (existing is not null)
            {
                winner = existing.Direction == connection.Direction || KeepFirst(existing, connection) ? existing : connection;
                loser = winner == existing ? connection : existing;
            }
            return (winner, loser, SelectTrimmed());
        }
    }

    /// <summary>Forgets a closed connection; true when it was the last one to its peer.</summary>
    public bool Remove(Connection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
            return !_connections.Any(c => c.RemotePeer == connection.RemotePeer);
        }
    }

    private bool KeepFirst(Connection first, Connection second)
    {
        var dialerOfFirst = first.Direction == Direction.Outbound ? localPeer : first.RemotePeer;
        var dialerOfSecond = second.Direction == Direction.Outbound ? localPeer : second.RemotePeer;
        return dialerOfFirst.Bytes.SequenceCompareTo(dialerOfSecond.Bytes) <= 0;
    }

    private Connection[] SelectTrimmed()
    {
        var open = _connections.Where(c => !c.IsClosed).ToList();
        if (open.Count <= options.ConnectionsHighWater)
        {
            return [];
        }
        var cutoff = time.GetUtcNow() - options.ConnectionGracePeriod;
        return open.Where(c => c.OpenedAt < cutoff && !isProtected(c.RemotePeer)).OrderBy(c => c.OpenedAt)
            .Take(open.Count - options.ConnectionsLowWater).ToArray();
    }
}
