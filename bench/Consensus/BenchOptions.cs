using System.Globalization;

namespace P2P.Bench.Consensus;

/// <summary>Command line: --sim-only, --propagation-blocks N, and for the simulator --seed S, --nodes N, --blocks B, --epoch E, --share-shift K, --loss P.</summary>
internal sealed record BenchOptions
{
    public bool SimulatorOnly { get; private init; }
    public int Seed { get; private init; } = 1;
    public int Nodes { get; private init; } = 10;
    public int Blocks { get; private init; } = 60;
    public int EpochLength { get; private init; } = 12;
    public int ShareShift { get; private init; } = 4;
    public double Loss { get; private init; }
    public int PropagationBlocks { get; private init; } = 40;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--sim-only" => o with { SimulatorOnly = true },
                "--seed" => o with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--nodes" => o with { Nodes = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--blocks" => o with { Blocks = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--epoch" => o with { EpochLength = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--share-shift" => o with { ShareShift = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--propagation-blocks" => o with { PropagationBlocks = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--loss" => o with { Loss = double.Parse(Value(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (o.Nodes is < 1 or > 1000 || o.Blocks is < 1 or > 100_000 || o.Loss is < 0 or >= 1 || o.PropagationBlocks is < 1 or > 10_000)
            throw new ArgumentException("1..1000 nodes, 1..100000 blocks, loss in [0, 1), 1..10000 propagation blocks");
        return o;
    }
}
