namespace P2P.InferenceNetwork.Protocol;

/// <summary>
/// One <c>/p2pd/infer/1</c> request. <see cref="InferKinds.Generate"/>: a whole-model executor generates from
/// <see cref="Tokens"/> and streams tokens. <see cref="InferKinds.Step"/>: a span server runs the next rows of session
/// <see cref="SessionId"/> (tokens on the first span, P2PH hidden states after) from <see cref="Position"/> and answers
/// with hidden states, or logits of the last row on the last span. <see cref="InferKinds.Close"/>: frees the session.
/// </summary>
public sealed record InferRequest
{
    public string Kind { get; init; } = InferKinds.Generate;

    public string ModelId { get; init; } = "";

    public int Start { get; init; }

    public int End { get; init; }

    public bool Deterministic { get; init; } = true;

    public string SessionId { get; init; } = "";

    /// <summary>Position of the first row in the session (0 opens it; a server that lost the session answers <see cref="InferErrorCodes.UnknownSession"/>).</summary>
    public int Position { get; init; }

    public int[] Tokens { get; init; } = [];

    /// <summary>P2PH-encoded float32 hidden states (<c>HiddenStateCodec</c>).</summary>
    public byte[]? Hidden { get; init; }

    public int MaxTokens { get; init; } = 16;

    /// <summary>
    /// Generate only: how many tokens at the end of <see cref="Tokens"/> this generation already produced on an executor
    /// that failed. The sampler skips their draws, so a seeded sampled generation resumes with the tokens it would have had.
    /// </summary>
    public int Resume { get; init; }

    public float Temperature { get; init; }

    public int TopK { get; init; }

    public float TopP { get; init; } = 1f;

    public ulong Seed { get; init; }

    public int TopLogProbs { get; init; }

    public int[] StopTokens { get; init; } = [];

    /// <summary>The gateway's task id (its receipts name SHA-256 of it); empty: the session id stands in.</summary>
    public string TaskId { get; init; } = "";
}
