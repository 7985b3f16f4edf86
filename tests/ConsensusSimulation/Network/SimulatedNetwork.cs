using P2P.Consensus.Simulation.Events;

namespace P2P.Consensus.Simulation.Network;

/// <summary>
/// A message network between numbered nodes on an <see cref="EventLoop"/>: every pair is linked (per-link
/// latency, jitter, loss and bandwidth), and partitions split the nodes into groups that cannot reach each other.
/// A message is dropped when its endpoints are in different groups at sending or at delivery time.
/// </summary>
public sealed class SimulatedNetwork<TMessage>
{
    private readonly EventLoop _loop;
    private readonly Random _random;
    private readonly LinkProfile[,] _links;
    private readonly int[] _group;
    private Action<int, int, TMessage>? _deliver;

    public SimulatedNetwork(EventLoop loop, int nodes, LinkProfile defaultLink, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        defaultLink.Validate();
        _loop = loop;
        _random = random;
        NodeCount = nodes;
        _links = new LinkProfile[nodes, nodes];
        for (int a = 0; a < nodes; a++)
            for (int b = 0; b < nodes; b++)
                _links[a, b] = defaultLink;
        _group = new int[nodes];
    }

    public int NodeCount { get; }

    public NetworkStatistics Statistics { get; } = new();

    /// <summary>Whether the network is split into more than one group now.</summary>
    public bool IsPartitioned => _group.Any(g => g != _group[0]);

    /// <summary>Sets the handler that receives (from, to, message) at delivery time.</summary>
    public void OnDeliver(Action<int, int, TMessage> deliver) => _deliver = deliver;

    /// <summary>Sets the link in both directions between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void SetLink(int a, int b, LinkProfile link)
    {
        link.Validate();
        _links[a, b] = link;
        _links[b, a] = link;
    }

    /// <summary>Splits the nodes into the given groups; every node must appear in exactly one.</summary>
    public void Partition(params IReadOnlyCollection<int>[] groups)
    {
        var seen = new bool[NodeCount];
        var next = new int[NodeCount];
        for (int g = 0; g < groups.Length; g++)
            foreach (int node in groups[g])
            {
                if (node < 0 || node >= NodeCount || seen[node])
                    throw new ArgumentException($"node {node} is out of range or in two groups", nameof(groups));
                seen[node] = true;
                next[node] = g;
            }
        if (seen.Any(s => !s)) throw new ArgumentException("every node must be in a group", nameof(groups));
        next.CopyTo(_group, 0);
    }

    /// <summary>Removes every partition.</summary>
    public void Heal() => Array.Clear(_group);

    public bool CanReach(int from, int to) => _group[from] == _group[to];

    /// <summary>Sends a message of <paramref name="bytes"/> bytes; it arrives after the link's delay unless lost or cut.</summary>
    public void Send(int from, int to, TMessage message, int bytes)
    {
        if (from == to) throw new ArgumentException("a node does not send to itself");
        var deliver = _deliver ?? throw new InvalidOperationException("no delivery handler");
        Statistics.Sent++;
        Statistics.Bytes += bytes;
        if (!CanReach(from, to))
        {
            Statistics.DroppedByPartition++;
            return;
        }
        var link = _links[from, to];
        // Draw loss and delay in a fixed order so the run stays a function of the seed.
        bool lost = link.Loss > 0 && _random.NextDouble() < link.Loss;
        long delay = link.DelayMicros(bytes, _random);
        if (lost)
        {
            Statistics.DroppedByLoss++;
            return;
        }
        _loop.After(delay, () =>
        {
            if (!CanReach(from, to))
            {
                Statistics.DroppedByPartition++;
                return;
            }
            Statistics.Delivered++;
            deliver(from, to, message);
        });
    }
}
