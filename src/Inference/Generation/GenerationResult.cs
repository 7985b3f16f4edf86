namespace P2P.Inference.Generation;

/// <summary>The generated tokens (stop token excluded), why generation ended, log-probs if asked, and timings.</summary>
public sealed record GenerationResult(
    IReadOnlyList<int> Tokens,
    string FinishReason,
    IReadOnlyList<TokenLogProbs> LogProbs,
    int PromptTokens,
    TimeSpan PrefillTime,
    TimeSpan DecodeTime);
