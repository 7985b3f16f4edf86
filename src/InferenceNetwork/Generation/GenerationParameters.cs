using P2P.Inference.Generation;

namespace P2P.InferenceNetwork.Generation;

/// <summary>What a request asks of generation: length, sampling, stop tokens and how many alternatives to report.</summary>
public sealed record GenerationParameters
{
    public int MaxTokens { get; init; } = 16;

    public SamplingOptions Sampling { get; init; } = new();

    public IReadOnlySet<int> StopTokens { get; init; } = new HashSet<int>();

    public int TopLogProbs { get; init; }
}
