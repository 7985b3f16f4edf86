using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Tests.Support;

namespace P2P.Inference.Tests.Runtime;

public class BlockAttentionTests
{
    /// <summary>
    /// A 100-token prompt sent as chunks of 70 and 30 (several 64-row blocks, a block starting mid-context) beside a
    /// 3-token session: fast mode's block attention gives every position the logits of deterministic per-row attention.
    /// </summary>
    [Fact]
    public void FastBlockAttention_AgreesWithPerRowAttention_AtEveryPosition()
    {
        var spec = SeededModelSpec.Parse(DeterminismTests.SeededSixLayers);
        var prompt = Enumerable.Range(0, 100).Select(i => (i * 37 + 11) % spec.Config.VocabSize).ToArray();
        int[] other = [4, 8, 15];
        var deterministic = AllLogits(spec, ComputeMode.Deterministic, prompt, other);
        var fast = AllLogits(spec, ComputeMode.Fast, prompt, other, KvFormat.Float32);
        Assert.Equal(deterministic.Length, fast.Length);
        float worst = deterministic.Zip(fast, (a, b) => MathF.Abs(a - b)).Max();
        Assert.True(worst <= 1e-4f, $"largest difference {worst}");
    }

    /// <summary>
    /// Over a binary16 cache the prompt blocks widen the keys and values for OpenBLAS, and single rows read them as
    /// halves: both see the same rounded values, so they agree to float rounding at every position.
    /// </summary>
    [Fact]
    public void FastBlockAttentionOverAFloat16Cache_AgreesWithPerRowAttention_AtEveryPosition()
    {
        var spec = SeededModelSpec.Parse(DeterminismTests.SeededSixLayers);
        var prompt = Enumerable.Range(0, 100).Select(i => (i * 37 + 11) % spec.Config.VocabSize).ToArray();
        var blocked = AllLogits(spec, ComputeMode.Fast, prompt, [4, 8, 15], KvFormat.Float16);
        var oneByOne = OneByOne(spec, new CpuBackend(ComputeMode.Fast, 2, KvFormat.Float16), prompt);
        int vocab = spec.Config.VocabSize;
        var promptRows = blocked.AsSpan(0, 70 * vocab).ToArray().Concat(blocked.AsSpan((70 + 3) * vocab, 30 * vocab).ToArray()).ToArray();
        float worst = oneByOne.Zip(promptRows, (a, b) => MathF.Abs(a - b)).Max();
        Assert.True(worst <= 1e-4f, $"largest difference {worst}");
    }

    /// <summary>
    /// Deterministic mode's tiled block attention must give the bits of per-row attention: the same prompt as chunks
    /// of 70 and 30 rows beside another session (blocks of 64, 6 and 30 rows, one starting mid-context) and one token
    /// at a time (per-row attention only) yield identical logits at every position. Heads 16 wide (one register
    /// block) and 20 wide (a 4-column remainder) cover the value sum's column paths.
    /// </summary>
    [Theory]
    [InlineData(DeterminismTests.SeededSixLayers)]
    [InlineData("seed:dim=80,layers=2,heads=4,kv_heads=4,ffn=96,vocab=300,max_seq=128,seed=3")]
    public void DeterministicBlockAttention_GivesTheBitsOfPerRowAttention(string model)
    {
        var spec = SeededModelSpec.Parse(model);
        var prompt = Enumerable.Range(0, 100).Select(i => (i * 37 + 11) % spec.Config.VocabSize).ToArray();
        int[] other = [4, 8, 15];
        var blocked = AllLogits(spec, ComputeMode.Deterministic, prompt, other);
        var oneByOne = OneByOne(spec, new CpuBackend(ComputeMode.Deterministic, 2), prompt);
        int vocab = spec.Config.VocabSize;
        var promptRows = new List<float>();
        promptRows.AddRange(blocked.AsSpan(0, 70 * vocab).ToArray());
        promptRows.AddRange(blocked.AsSpan((70 + other.Length) * vocab, 30 * vocab).ToArray());
        Assert.Equal(Hashing.Of(oneByOne), Hashing.Of(promptRows.ToArray()));
    }

    /// <summary>Heads 64 wide take the register-accumulated value sum; without intrinsics it is one scalar FMA per step.</summary>
    [Fact]
    public void WideHeadValueSums_GiveTheSameBits_WithoutHardwareIntrinsics()
    {
        const string model = "seed:dim=128,layers=2,heads=2,kv_heads=1,ffn=256,vocab=300,max_seq=128,seed=9";
        var local = DeterminismProbe.Run(model, 2);
        var child = ProbeProcess.Run(new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" }, "hash", model, "3").Split(' ');
        Assert.Equal("scalar", child[0]);
        Assert.Equal(local.Logits, child[1]);
        Assert.Equal(local.Hidden, child[2]);
    }

    /// <summary>The prompt's logits one token per forward pass: per-row attention only.</summary>
    private static float[] OneByOne(SeededModelSpec spec, CpuBackend backend, int[] prompt)
    {
        var weights = TransformerWeights.Load(spec.Config, ShardRange.Full(spec.Config), new SeededTensorSource(spec.Seed));
        using var shard = new TransformerShard(weights, backend);
        using var a = shard.CreateSession();
        var logits = new List<float>();
        for (int i = 0; i < prompt.Length; i++)
        {
            var hidden = shard.Embed([prompt[i]]);
            shard.Forward([a], [1], hidden);
            logits.AddRange(shard.Logits(hidden, [0]));
        }
        return logits.ToArray();
    }

    private static float[] AllLogits(SeededModelSpec spec, ComputeMode mode, int[] prompt, int[] other, KvFormat? kvFormat = null)
    {
        var weights = TransformerWeights.Load(spec.Config, ShardRange.Full(spec.Config), new SeededTensorSource(spec.Seed));
        using var shard = new TransformerShard(weights, new CpuBackend(mode, 2, kvFormat));
        using var a = shard.CreateSession();
        using var b = shard.CreateSession();
        var logits = new List<float>();
        foreach (var (start, length) in new[] { (0, 70), (70, 30) })
        {
            int[] otherTokens = start == 0 ? other : [other[0]];
            var hidden = shard.Embed(prompt.AsSpan(start, length).ToArray().Concat(otherTokens).ToArray());
            shard.Forward([a, b], [length, otherTokens.Length], hidden);
            logits.AddRange(shard.Logits(hidden, Enumerable.Range(0, length + otherTokens.Length).ToArray()));
        }
        return logits.ToArray();
    }
}
