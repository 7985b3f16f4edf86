using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Tests.Support;

namespace P2P.Inference.Tests.Runtime;

/// <summary>
/// A session's KV memory stays valid while a forward pass uses it: disposing it mid-pass (a gateway closing or
/// reopening its session) frees the memory only when the pass ends, and no other pass evicts it meanwhile.
/// </summary>
public class KvCacheStoreTests
{
    /// <summary>6 layers × 2 × 16 positions × 32 floats: one session's first 16 positions.</summary>
    private const int SixteenPositions = 24 * 1024;

    [Fact]
    public void DisposingASessionInARunningBatch_FreesItsMemoryWhenTheBatchEnds()
    {
        using var shard = Shard(1L << 20);
        var session = shard.CreateSession();
        shard.Cache.Reserve([session], [3], shard.Config.MaxPositions);
        Assert.Equal(SixteenPositions, shard.Cache.UsedBytes);

        session.Dispose();
        Assert.True(session.Disposed);
        Assert.Equal(SixteenPositions, shard.Cache.UsedBytes);
        Assert.Equal(1, shard.Cache.SessionCount);

        shard.Cache.EndBatch([session]);
        Assert.Equal(0, shard.Cache.UsedBytes);
        Assert.Equal(0, shard.Cache.SessionCount);
        Assert.Throws<ObjectDisposedException>(() => shard.Forward([session], [1], shard.Embed([1])));
    }

    [Fact]
    public void ASessionInARunningBatch_IsNeverEvicted_EvenForAnotherShardSharingTheStore()
    {
        var store = new KvCacheStore(SixteenPositions + SixteenPositions / 2);
        using var first = Shard(store);
        using var second = Shard(store);
        var running = first.CreateSession();
        var other = second.CreateSession();
        store.Reserve([running], [3], first.Config.MaxPositions);

        Assert.Throws<InvalidOperationException>(() => second.Forward([other], [3], second.Embed([4, 5, 6])));
        Assert.False(running.Evicted);
        Assert.Equal(SixteenPositions, store.UsedBytes);

        store.EndBatch([running]);
        second.Forward([other], [3], second.Embed([4, 5, 6]));
        Assert.True(running.Evicted);
        Assert.Equal(SixteenPositions, store.UsedBytes);
        other.Dispose();
        running.Dispose();
        Assert.Equal(0, store.UsedBytes);
    }

    /// <summary>The whole pass, with the session disposed from another thread at the attention of its first layer: same outputs as an undisturbed pass.</summary>
    [Fact]
    public async Task DisposingMidPass_LeavesThePassItsCaches()
    {
        var gate = new GatedBackend(new CpuBackend(ComputeMode.Deterministic, 1));
        using var gated = new TransformerShard(ModelLoader.Load(DeterminismTests.SeededSixLayers), gate);
        using var plain = new TransformerShard(ModelLoader.Load(DeterminismTests.SeededSixLayers), new CpuBackend(ComputeMode.Deterministic, 1));
        int[] tokens = [7, 8, 9, 10, 11];
        using var reference = plain.CreateSession();
        var expected = plain.Embed(tokens);
        plain.Forward([reference], [tokens.Length], expected);

        var session = gated.CreateSession();
        var hidden = gated.Embed(tokens);
        var pass = Task.Run(() => gated.Forward([session], [tokens.Length], hidden));
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        session.Dispose();
        Assert.True(gated.Cache.UsedBytes > 0);
        gate.Open();
        await pass.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Hashing.Of(expected), Hashing.Of(hidden));
        Assert.Equal(0, gated.Cache.UsedBytes);
        Assert.Equal(0, gated.Cache.SessionCount);
    }

    private static TransformerShard Shard(long budget) => Shard(new KvCacheStore(budget));

    private static TransformerShard Shard(KvCacheStore store) =>
        new(ModelLoader.Load(DeterminismTests.SeededSixLayers), new CpuBackend(ComputeMode.Deterministic, 1), store);
}
