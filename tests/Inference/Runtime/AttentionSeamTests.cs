using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Tests.Support;

namespace P2P.Inference.Tests.Runtime;

/// <summary>
/// Attention is a backend call: a backend that implements it as the plain per-row sum over its own Dot, Softmax and
/// MultiplyAdd (what a second backend would start from) gives the CPU backend's bits, and the shard calls it once per
/// layer and forward pass.
/// </summary>
public class AttentionSeamTests
{
    [Fact]
    public void ShardAttention_GoesThroughTheBackend_AndAPlainPerRowSumGivesTheSameBits()
    {
        const string model = "seed:dim=64,layers=3,heads=4,kv_heads=2,ffn=96,vocab=300,max_seq=128,seed=4";
        var cpu = new CpuBackend(ComputeMode.Deterministic, 2);
        var plain = new PlainAttentionBackend(cpu);

        var expected = Logits(model, cpu);
        var actual = Logits(model, plain);

        Assert.Equal(Hashing.Of(expected), Hashing.Of(actual));
        Assert.Equal(3 * 3, plain.AttentionCalls); // three forward passes (prompt beside a second session, two decodes) × three layers
    }

    /// <summary>A 40-token prompt beside a 3-token one (block and per-row paths), then two decode steps of both.</summary>
    private static float[] Logits(string model, IComputeBackend backend)
    {
        using var shard = new TransformerShard(ModelLoader.Load(model), backend);
        using var a = shard.CreateSession();
        using var b = shard.CreateSession();
        var logits = new List<float>();
        int[] prompt = Enumerable.Range(0, 40).Select(i => (i * 29 + 3) % 300).ToArray();
        var hidden = shard.Embed([.. prompt, 7, 8, 9]);
        shard.Forward([a, b], [prompt.Length, 3], hidden);
        logits.AddRange(shard.Logits(hidden, Enumerable.Range(0, prompt.Length + 3).ToArray()));
        for (int step = 0; step < 2; step++)
        {
            hidden = shard.Embed([11 + step, 12 + step]);
            shard.Forward([a, b], [1, 1], hidden);
            logits.AddRange(shard.Logits(hidden, [0, 1]));
        }
        return logits.ToArray();
    }

    /// <summary>Every primitive from the CPU backend except attention, which is the textbook loop over its primitives.</summary>
    private sealed unsafe class PlainAttentionBackend(IComputeBackend inner) : ForwardingBackend(inner)
    {
        public int AttentionCalls { get; private set; }

        public override void Attention(in AttentionBatch batch)
        {
            AttentionCalls++;
            int hd = batch.HeadDim, group = batch.Heads / batch.KvHeads;
            float scale = 1f / MathF.Sqrt(hd);
            foreach (var sequence in batch.Sequences)
            {
                for (int i = 0; i < sequence.Rows; i++)
                {
                    int row = sequence.FirstRow + i, length = sequence.FirstPosition + i + 1;
                    var scores = new float[length];
                    for (int head = 0; head < batch.Heads; head++)
                    {
                        float* q = batch.Qkv + (long)row * batch.QkvStride + head * hd;
                        float* output = batch.Output + (long)row * batch.OutputStride + head * hd;
                        fixed (float* p = scores)
                        {
                            for (int t = 0; t < length; t++) p[t] = Dot(q, sequence.KeysOf(head / group) + t * (long)batch.KvStride, hd) * scale;
                            Softmax(p, length);
                            new Span<float>(output, hd).Clear();
                            for (int t = 0; t < length; t++) MultiplyAdd(p[t], sequence.ValuesOf(head / group) + t * (long)batch.KvStride, output, hd);
                        }
                    }
                }
            }
        }
    }
}
