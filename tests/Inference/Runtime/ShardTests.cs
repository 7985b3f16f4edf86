using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Serialization;
using P2P.Inference.Tests.Support;

namespace P2P.Inference.Tests.Runtime;

public class ShardTests
{
    private static readonly int[] Prompt = [1, 33, 70, 281, 9, 400, 12];

    [ModelFact]
    public void Shards0To2And2To5_WithSerializedHiddenStates_ReproduceWholeModelLogitsBitExactly()
    {
        string model = TestModels.Stories260kRequired;
        var backend = new CpuBackend(ComputeMode.Deterministic, 2);
        using var whole = new TransformerShard(ModelLoader.Load(model), backend);
        using var first = new TransformerShard(ModelLoader.Load(model, new ShardRange(0, 2)), backend);
        using var second = new TransformerShard(ModelLoader.Load(model, new ShardRange(2, 5)), backend);
        Assert.True(first.HasEmbeddings && !first.HasHead && first.Weights.Layers.Count == 2);
        Assert.True(!second.HasEmbeddings && second.HasHead && second.Weights.Layers.Count == 3);

        using var wholeSession = whole.CreateSession();
        using var firstSession = first.CreateSession();
        using var secondSession = second.CreateSession();
        int[] input = Prompt;
        for (int step = 0; step < 5; step++)
        {
            var hidden = whole.Embed(input);
            whole.Forward([wholeSession], [input.Length], hidden);
            var expected = whole.Logits(hidden, [input.Length - 1]);

            var wire = HiddenStateCodec.Encode(first.RunShard(firstSession, first.Embed(input)), input.Length, 64, HiddenStateFormat.Float32);
            var received = HiddenStateCodec.Decode(wire, out int rows, out _, expectedDim: 64);
            Assert.Equal(input.Length, rows);
            var output = second.RunShard(secondSession, received);
            var actual = second.Logits(output, [input.Length - 1]);

            Assert.Equal(Hashing.Of(expected), Hashing.Of(actual));
            input = [P2P.Inference.Generation.TokenSampler.ArgMax(actual)];
        }
    }

    [Fact]
    public void ShardWithoutEmbeddingsOrHead_RefusesTokensAndLogits()
    {
        using var middle = new TransformerShard(ModelLoader.Load(DeterminismTests.SeededSixLayers, new ShardRange(2, 4)),
            new CpuBackend(ComputeMode.Deterministic, 1));
        Assert.Throws<InvalidOperationException>(() => middle.Embed([1]));
        Assert.Throws<InvalidOperationException>(() => middle.Logits(new float[64], [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelLoader.Load(DeterminismTests.SeededSixLayers, new ShardRange(4, 9)));
    }

    [Fact]
    public void KvCacheBudget_EvictsTheLeastRecentlyUsedSession_WhichCanBeReplayed()
    {
        var weights = ModelLoader.Load(DeterminismTests.SeededSixLayers);
        // One session with 16 positions uses 6 layers × 2 × 16 × 32 floats = 24 KiB: a 56 KiB budget holds two.
        using var shard = new TransformerShard(weights, new CpuBackend(ComputeMode.Deterministic, 1), new KvCacheStore(56 * 1024));
        var a = shard.CreateSession();
        var b = shard.CreateSession();
        var c = shard.CreateSession();
        shard.Forward([a], [3], shard.Embed([1, 2, 3]));
        var bHidden = shard.Embed([4, 5, 6]);
        shard.Forward([b], [3], bHidden);
        Assert.False(a.Evicted);
        shard.Forward([c], [3], shard.Embed([7, 8, 9]));
        Assert.True(a.Evicted);
        Assert.False(b.Evicted);
        Assert.True(shard.Cache.UsedBytes <= shard.Cache.BudgetBytes);
        Assert.Throws<SessionEvictedException>(() => shard.Forward([a], [1], shard.Embed([4])));

        using var replay = shard.CreateSession();
        var replayHidden = shard.Embed([4, 5, 6]);
        shard.Forward([replay], [3], replayHidden);
        Assert.Equal(Hashing.Of(bHidden), Hashing.Of(replayHidden));
        Assert.Throws<InvalidOperationException>(() => shard.Forward([replay], [200], shard.Embed(new int[200])));
    }

    /// <summary>A binary16 cache takes half the budget per position: the 56 KiB that held two float32 sessions holds four.</summary>
    [Fact]
    public void Float16Cache_HoldsTwiceThePositionsPerByte()
    {
        var weights = ModelLoader.Load(DeterminismTests.SeededSixLayers);
        using var shard = new TransformerShard(weights, new CpuBackend(ComputeMode.Fast, 1, KvFormat.Float16), new KvCacheStore(56 * 1024));
        var sessions = Enumerable.Range(0, 5).Select(_ => shard.CreateSession()).ToArray();
        for (int i = 0; i < 4; i++) shard.Forward([sessions[i]], [3], shard.Embed([1, 2, 3]));
        Assert.Equal(4 * 12 * 1024, shard.Cache.UsedBytes);
        Assert.All(sessions[..4], s => Assert.False(s.Evicted));
        shard.Forward([sessions[4]], [3], shard.Embed([1, 2, 3]));
        Assert.True(sessions[0].Evicted);
        foreach (var s in sessions) s.Dispose();
    }

    [Fact]
    public void DeterministicMode_RefusesAnyCacheButFloat32()
    {
        Assert.Equal(KvFormat.Float32, new CpuBackend(ComputeMode.Deterministic, 1).KvFormat);
        Assert.Equal(KvFormat.Float16, new CpuBackend(ComputeMode.Fast, 1).KvFormat);
        var refused = Assert.Throws<ArgumentException>(() => new CpuBackend(ComputeMode.Deterministic, 1, KvFormat.Float16));
        Assert.Contains("Float32", refused.Message);
    }
}
