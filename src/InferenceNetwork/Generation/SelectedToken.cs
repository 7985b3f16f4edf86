using P2P.Inference.Generation;

namespace P2P.InferenceNetwork.Generation;

/// <summary>The outcome of one decode step: a token with its log-probs (null when none was emitted) and whether generation ends.</summary>
public sealed record SelectedToken(int? Token, TokenLogProbs? LogProbs, string? FinishReason);
