namespace P2P.InferenceNetwork.Receipts;

/// <summary>The parameters a whole-model executor sampled with; their canonical bytes make the receipt's sampling hash.</summary>
public sealed record SamplingParameters
{
    public float Temperature { get; init; }

    public int TopK { get; init; }

    public float TopP { get; init; } = 1f;

    public ulong Seed { get; init; }

    public int MaxTokens { get; init; }

    public int[] StopTokens { get; init; } = [];

    /// <summary>Random draws skipped before the first one this executor made: the tokens another executor generated before a failover (0 otherwise).</summary>
    public int ResumedAfter { get; init; }
}
