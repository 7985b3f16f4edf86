namespace P2P.InferenceNetwork.Receipts;

/// <summary>The inputs and claimed outputs behind one receipt, kept by the executor until the verdict deadline passes.</summary>
public sealed record SpanRecord
{
    public required byte[] ReceiptId { get; init; }

    /// <summary>The signed receipt, consensus encoding.</summary>
    public required byte[] Receipt { get; init; }

    public required string ModelId { get; init; }

    public int Start { get; init; }

    public int End { get; init; }

    public PayloadKind InputKind { get; init; }

    public PayloadKind OutputKind { get; init; }

    /// <summary>Set when the executor sampled (whole model); null for a span.</summary>
    public SamplingParameters? Sampling { get; init; }

    public required DataChunk[] Inputs { get; init; }

    public required DataChunk[] Outputs { get; init; }

    public DateTimeOffset Expires { get; init; }

    public long Bytes => Inputs.Sum(c => (long)c.Bytes.Length) + Outputs.Sum(c => (long)c.Bytes.Length) + Receipt.Length;
}
