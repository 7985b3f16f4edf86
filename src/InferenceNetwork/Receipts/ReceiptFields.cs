namespace P2P.InferenceNetwork.Receipts;

/// <summary>What an executor computed for one session, before it is signed as a consensus receipt.</summary>
public sealed record ReceiptFields
{
    /// <summary>The network model id (64 hex characters, <c>ModelIdentity</c>).</summary>
    public required string ModelId { get; init; }

    public required byte[] TaskId { get; init; }

    public int Start { get; init; }

    public int End { get; init; }

    public bool Deterministic { get; init; }

    public required byte[] SamplingHash { get; init; }

    public required byte[] InputHash { get; init; }

    public required byte[] OutputHash { get; init; }

    public required byte[] LogProbCommitment { get; init; }

    public int InputCount { get; init; }

    public int OutputCount { get; init; }
}
