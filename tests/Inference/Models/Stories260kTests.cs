using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Tests.Support;

namespace P2P.Inference.Tests.Models;

public class Stories260kTests
{
    /// <summary>The float32 reference's results hold in deterministic mode and in fast mode over a float32 cache.</summary>
    [ModelFact]
    public void GreedyContinuationAndPosition0Logits_MatchTheReference_InBothModes()
    {
        var expected = TestModels.Stories260kExpected();
        foreach (var mode in new[] { ComputeMode.Deterministic, ComputeMode.Fast })
        {
            using var model = new TransformerShard(ModelLoader.Load(TestModels.Stories260kRequired), new CpuBackend(mode, 2, KvFormat.Float32));
            using (var session = model.CreateSession())
            {
                var hidden = model.Embed(expected.PromptIds);
                model.Forward([session], [expected.PromptIds.Length], hidden);
                var logits = model.Logits(hidden, [expected.PromptIds.Length - 1]);
                Assert.Equal(expected.Logits.Length, logits.Length);
                for (int i = 0; i < logits.Length; i++)
                    Assert.True(Math.Abs(logits[i] - expected.Logits[i]) <= expected.Tolerance, $"{mode}: logit {i} = {logits[i]}, expected {expected.Logits[i]}");
            }
            var result = new Generator(model).Generate(new GenerationRequest { Prompt = expected.PromptIds, MaxTokens = expected.GreedyIds.Length });
            Assert.Equal(expected.GreedyIds, result.Tokens);
            Assert.Equal("length", result.FinishReason);
        }
    }

    /// <summary>
    /// Over fast mode's binary16 cache the reference is met to half precision: position 0's logits within 10⁻² (measured
    /// 3.4·10⁻³), and with the reference continuation fed back (teacher forcing) each reference token is the arg-max or
    /// within 0.03 of its log-probability — about twice the largest logit error the cache causes (1.2·10⁻², measured
    /// in DeterminismTests); measured 8.8·10⁻³. A free-running greedy continuation leaves the reference at such a near
    /// tie (token 37 here) and then differs.
    /// </summary>
    [ModelFact]
    public void Float16Cache_MeetsTheReference_ToHalfPrecision()
    {
        var expected = TestModels.Stories260kExpected();
        using var model = new TransformerShard(ModelLoader.Load(TestModels.Stories260kRequired), new CpuBackend(ComputeMode.Fast, 2));
        Assert.Equal(KvFormat.Float16, model.Backend.KvFormat);
        var generator = new Generator(model);
        var scored = generator.Score(expected.PromptIds, expected.GreedyIds, topLogProbs: 1);
        float worstPosition0 = 0;
        using (var session = model.CreateSession())
        {
            var hidden = model.Embed(expected.PromptIds);
            model.Forward([session], [expected.PromptIds.Length], hidden);
            var logits = model.Logits(hidden, [expected.PromptIds.Length - 1]);
            for (int i = 0; i < logits.Length; i++) worstPosition0 = Math.Max(worstPosition0, Math.Abs(logits[i] - expected.Logits[i]));
        }
        double worstGap = 0;
        for (int j = 0; j < expected.GreedyIds.Length; j++)
        {
            var position = scored.Positions[j];
            worstGap = Math.Max(worstGap, position.Top[0].LogProb - position.LogProb);
        }
        Console.WriteLine($"position 0: largest logit difference {worstPosition0}; reference tokens at most {worstGap} below the arg-max");
        Assert.True(worstPosition0 <= 1e-2f, $"position 0: largest logit difference {worstPosition0}");
        Assert.True(worstGap <= 0.03, $"a reference token is {worstGap} below the arg-max");
    }
}
