using P2P.Consensus.Blocks;
using P2P.Consensus.Tests.Support;
using P2P.Simulation;

namespace P2P.Consensus.Tests.Sync;

/// <summary>Chains mined once per test with the real devnet work function at the easy test target, and a simulated network whose clock is past their last block.</summary>
public static class SyncFixtures
{
    /// <summary><paramref name="count"/> empty blocks on the easy test genesis, 5 s apart, by key <paramref name="miner"/>.</summary>
    public static List<Block> MineChain(int count, int miner = 1)
    {
        using var chain = new TestChain();
        return chain.Extend(count, TestChain.Key(miner));
    }

    /// <summary>A network with 5 ms steps whose clock shows the time of block <paramref name="height"/> (so no header is "from the future").</summary>
    public static SimulatedNetwork Network(ulong height, int seed = 1)
    {
        var network = new SimulatedNetwork(seed) { Step = TimeSpan.FromMilliseconds(5) };
        var lag = TestChain.TimeAt(height) - network.Time.GetUtcNow();
        if (lag > TimeSpan.Zero) network.Time.Advance(lag);
        return network;
    }

    public static TimeSpan Limit { get; } = TimeSpan.FromMinutes(10);
}
