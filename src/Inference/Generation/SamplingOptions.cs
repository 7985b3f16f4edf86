namespace P2P.Inference.Generation;

/// <summary>How the next token is chosen; temperature ≤ 0 means greedy.</summary>
public sealed record SamplingOptions
{
    public float Temperature { get; init; }
    public int TopK { get; init; }
    public float TopP { get; init; } = 1f;
    public ulong Seed { get; init; }
}
