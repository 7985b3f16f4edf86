namespace P2P.InferenceNetwork.Protocol;

/// <summary>One alternative token and its log-probability.</summary>
public sealed record InferTopLogProb(int Token, float LogProb);
