namespace P2P.Inference.Generation;

/// <summary>A prompt (token ids) and how to continue it.</summary>
public sealed record GenerationRequest
{
    public required IReadOnlyList<int> Prompt { get; init; }
    public int MaxTokens { get; init; } = 16;
    public SamplingOptions Sampling { get; init; } = new();
    public IReadOnlySet<int> StopTokens { get; init; } = new HashSet<int>();

    /// <summary>How many alternatives to report per generated token (0 = no log-probs).</summary>
    public int TopLogProbs { get; init; }
}
