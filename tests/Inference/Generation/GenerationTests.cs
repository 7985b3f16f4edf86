using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Numerics;
using P2P.Inference.Runtime;
using P2P.Inference.Tests.Runtime;
using P2P.Inference.Tests.Support;

namespace P2P.Inference.Tests.Generation;

public sealed class GenerationTests : IDisposable
{
    private readonly TransformerShard _model = new(ModelLoader.Load(DeterminismTests.SeededSixLayers), new CpuBackend(ComputeMode.Deterministic, 2));

    public void Dispose() => _model.Dispose();

    [Fact]
    public void SameSeed_ReplaysTheSameSampledTokens_AndAnotherSeedDiffers()
    {
        var generator = new Generator(_model);
        GenerationRequest Request(ulong seed) => new()
        {
            Prompt = [1, 2, 3],
            MaxTokens = 24,
            Sampling = new SamplingOptions { Temperature = 1.5f, TopK = 50, TopP = 0.95f, Seed = seed },
        };
        var a = generator.Generate(Request(7));
        var b = generator.Generate(Request(7));
        var c = generator.Generate(Request(8));
        Assert.Equal(a.Tokens, b.Tokens);
        Assert.NotEqual(a.Tokens, c.Tokens);
        Assert.Equal(24, a.Tokens.Count);
    }

    [Fact]
    public void TopK1AndTinyTopP_ReduceToGreedy()
    {
        var generator = new Generator(_model);
        var greedy = generator.Generate(new GenerationRequest { Prompt = [5, 6], MaxTokens = 12 });
        var topK = generator.Generate(new GenerationRequest { Prompt = [5, 6], MaxTokens = 12, Sampling = new() { Temperature = 1, TopK = 1, Seed = 3 } });
        var topP = generator.Generate(new GenerationRequest { Prompt = [5, 6], MaxTokens = 12, Sampling = new() { Temperature = 1, TopP = 1e-6f, Seed = 3 } });
        Assert.Equal(greedy.Tokens, topK.Tokens);
        Assert.Equal(greedy.Tokens, topP.Tokens);
    }

    [Fact]
    public void SamplingFrequencies_FollowTheTemperedSoftmax()
    {
        float[] logits = [2f, 1f, 0f, -1f];
        var sampler = new TokenSampler(new SamplingOptions { Temperature = 2f, Seed = 11 });
        var counts = new int[4];
        const int draws = 40000;
        for (int i = 0; i < draws; i++) counts[sampler.Sample(logits)]++;
        var weights = logits.Select(l => Math.Exp(l / 2.0)).ToArray();
        for (int i = 0; i < 4; i++)
        {
            double expected = weights[i] / weights.Sum();
            Assert.InRange(counts[i] / (double)draws, expected - 0.01, expected + 0.01);
        }
    }

    [Fact]
    public void SamplerDraws_FollowTheDocumentedSplitMix64Recipe()
    {
        float[] logits = [0.5f, 0.25f, 0f];
        var sampler = new TokenSampler(new SamplingOptions { Temperature = 1f, Seed = 42 });
        var rng = new SplitMix64(42);
        for (int step = 0; step < 50; step++)
        {
            double[] w = [1.0, DeterministicMath.Exp(0.25 - 0.5), DeterministicMath.Exp(0.0 - 0.5)];
            double u = rng.NextDouble() * (w[0] + w[1] + w[2]);
            int expected = u < w[0] ? 0 : u < w[0] + w[1] ? 1 : 2;
            Assert.Equal(expected, sampler.Sample(logits));
        }
    }

    [Fact]
    public void StopTokens_EndGeneration_AndAreNotEmitted()
    {
        var generator = new Generator(_model);
        var free = generator.Generate(new GenerationRequest { Prompt = [9], MaxTokens = 10 });
        int stop = free.Tokens[3];
        int firstStop = free.Tokens.ToList().IndexOf(stop);
        var stopped = generator.Generate(new GenerationRequest { Prompt = [9], MaxTokens = 10, StopTokens = new HashSet<int> { stop } });
        Assert.Equal("stop", stopped.FinishReason);
        Assert.Equal(free.Tokens.Take(firstStop), stopped.Tokens);
        Assert.Equal("length", free.FinishReason);
    }

    [Fact]
    public void TeacherForcedScoring_ReproducesTheLogProbsOfGeneration()
    {
        var generator = new Generator(_model);
        int[] prompt = [1, 44, 45];
        var generated = generator.Generate(new GenerationRequest
        {
            Prompt = prompt,
            MaxTokens = 8,
            TopLogProbs = 3,
            Sampling = new SamplingOptions { Temperature = 0.8f, Seed = 5 },
        });
        var score = generator.Score(prompt, generated.Tokens, topLogProbs: 3);
        Assert.Equal(generated.Tokens.Count, score.Positions.Count);
        for (int i = 0; i < score.Positions.Count; i++)
        {
            Assert.Equal(generated.LogProbs[i].Token, score.Positions[i].Token);
            Assert.Equal(generated.LogProbs[i].LogProb, score.Positions[i].LogProb);
            Assert.Equal(generated.LogProbs[i].Top, score.Positions[i].Top);
            Assert.True(score.Positions[i].LogProb <= 0);
            Assert.Equal(3, score.Positions[i].Top.Count);
            Assert.True(score.Positions[i].Top[0].LogProb >= score.Positions[i].Top[1].LogProb);
        }
        var probabilitySum = LogSoftmax.TopK(new float[] { 1, 2, 3 }, 3);
        Assert.Equal([2, 1, 0], probabilitySum);
    }

    [Fact]
    public void BatchedGeneration_EqualsOneRequestAtATime()
    {
        var generator = new Generator(_model);
        var requests = new[]
        {
            new GenerationRequest { Prompt = [1, 2, 3], MaxTokens = 6 },
            new GenerationRequest { Prompt = [7], MaxTokens = 9, Sampling = new() { Temperature = 1f, Seed = 1 } },
            new GenerationRequest { Prompt = [4, 4, 4, 4, 4], MaxTokens = 3, TopLogProbs = 2 },
        };
        var batched = generator.GenerateBatch(requests);
        for (int i = 0; i < requests.Length; i++)
        {
            var alone = generator.Generate(requests[i]);
            Assert.Equal(alone.Tokens, batched[i].Tokens);
            Assert.Equal(alone.LogProbs.Select(l => l.LogProb), batched[i].LogProbs.Select(l => l.LogProb));
        }
        Assert.Equal(0, _model.Cache.SessionCount);
    }
}
