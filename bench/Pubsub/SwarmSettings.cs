namespace P2P.Bench.Pubsub;

/// <summary>One benchmark run's parameters, identical for the C# and the js swarm.</summary>
public sealed record SwarmSettings(int Nodes, int Rate, int Seconds, int Size, int Seed)
{
    public const string Topic = "p2pd/bench/1";
    public const int WarmupMs = 3000;

    public int Messages => Rate * Seconds;

    /// <summary>A ring plus three seeded-random extra links per node: connected, average degree about 8.</summary>
    public IReadOnlyList<(int From, int To)> Edges()
    {
        var random = new Random(Seed);
        var edges = new HashSet<(int, int)>();
        for (var i = 0; i < Nodes; i++)
        {
            edges.Add((i, (i + 1) % Nodes));
            for (var k = 0; k < 3; k++)
            {
                var j = random.Next(Nodes);
                if (j != i && !edges.Contains((j, i)))
                {
                    edges.Add((i, j));
                }
            }
        }
        return edges.OrderBy(e => e).ToList();
    }

    public IReadOnlyList<int> Publishers()
    {
        var random = new Random(Seed + 1);
        return Enumerable.Range(0, Messages).Select(_ => random.Next(Nodes)).ToList();
    }
}
