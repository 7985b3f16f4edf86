namespace P2P.Inference.Generation;

/// <summary>The log-probability of a chosen token and the k most likely tokens at that position.</summary>
public sealed record TokenLogProbs(int Token, float LogProb, IReadOnlyList<TokenProbability> Top);
