using P2P.Inference.Models;
using P2P.Inference.Tests.Support;

namespace P2P.Inference.Tests.Models;

public class SeededModelTests
{
    private const string Spec = "seed:preset=tiny,seed=1234";

    [Fact]
    public void SeededModel_BuiltInTwoProcesses_HasIdenticalWeightHashes()
    {
        var first = ProbeProcess.Run(new Dictionary<string, string>(), "weights", Spec);
        var second = ProbeProcess.Run(new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" }, "weights", Spec);
        using var local = ModelLoader.Load(Spec);
        Assert.Equal(64, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(first, Convert.ToHexString(local.ComputeHash()));
        using var otherSeed = ModelLoader.Load("seed:preset=tiny,seed=1235");
        Assert.NotEqual(first, Convert.ToHexString(otherSeed.ComputeHash()));
    }

    [Fact]
    public void SeededWeights_FollowTheDocumentedPrf()
    {
        using var weights = ModelLoader.Load("seed:dim=32,layers=1,heads=2,ffn=40,vocab=16,seed=99");
        // Element 5 of the embedding: key = Mix(seed ^ FNV1a(name)), u = At(key, 5) >> 40, ((u + 0.5)·2^-23 − 1)/√32.
        ulong key = SplitMix64.Mix(99UL ^ SplitMix64.Fnv1a("model.embed_tokens.weight"));
        ulong u = SplitMix64.At(key, 5) >> 40;
        float expected = (float)(((u + 0.5) / (1 << 23) - 1.0) * (1.0 / Math.Sqrt(32)));
        Assert.Equal(expected, weights.Embedding!.AsSpan()[5]);
        Assert.All(weights.Layers[0].AttentionNorm.AsSpan().ToArray(), v => Assert.Equal(1f, v));
        float bound = 1f / MathF.Sqrt(32);
        Assert.All(weights.Embedding.AsSpan().ToArray(), v => Assert.InRange(v, -bound, bound));
    }

    [Fact]
    public void SpecParsing_AppliesPresetsAndOverrides_AndRejectsUnknownKeys()
    {
        var spec = SeededModelSpec.Parse("seed:preset=stories15m,seed=42,layers=2");
        Assert.Equal((288, 2, 6, 768, 32000, 42UL), (spec.Config.HiddenSize, spec.Config.NumLayers, spec.Config.NumHeads, spec.Config.IntermediateSize, spec.Config.VocabSize, spec.Seed));
        Assert.Equal(spec, SeededModelSpec.Parse(spec.ToString()));
        Assert.Throws<FormatException>(() => SeededModelSpec.Parse("seed:colour=blue"));
        Assert.Throws<FormatException>(() => SeededModelSpec.Parse("seed:preset=nope"));
        Assert.Throws<ModelFormatException>(() => SeededModelSpec.Parse("seed:dim=30,heads=4"));
    }
}
