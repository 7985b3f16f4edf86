using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Tests.Support;

namespace P2P.Inference.Tests.Models;

public class Stories260kTests
{
    [ModelFact]
    public void GreedyContinuationAndPosition0Logits_MatchTheReference_InBothModes()
    {
        var expected = TestModels.Stories260kExpected();
        foreach (var mode in new[] { ComputeMode.Deterministic, ComputeMode.Fast })
        {
            using var model = new TransformerShard(ModelLoader.Load(TestModels.Stories260kRequired), new CpuBackend(mode, 2));
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
}
