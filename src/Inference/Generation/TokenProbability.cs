namespace P2P.Inference.Generation;

/// <summary>A token and its log-probability under the model's (untempered) distribution.</summary>
public readonly record struct TokenProbability(int Token, float LogProb);
