namespace P2P.InferenceNetwork.Receipts;

/// <summary>
/// What one executor session consumed and produced, in order, as it runs: input chunks, output chunks and the
/// committed log-prob row of every logits row. At close it yields the receipt fields and the record validators fetch.
/// </summary>
public sealed class SessionTranscript(string modelId, int start, int end, bool deterministic, PayloadKind inputKind, PayloadKind outputKind,
    SamplingParameters? sampling, byte[] taskId)
{
    private readonly List<DataChunk> _inputs = [];
    private readonly List<DataChunk> _outputs = [];
    private readonly List<byte[]> _logProbRows = [];

    public long Bytes { get; private set; }

    public void AddInput(DataChunk chunk)
    {
        _inputs.Add(chunk);
        Bytes += chunk.Bytes.Length;
    }

    public void AddOutput(DataChunk chunk)
    {
        _outputs.Add(chunk);
        Bytes += chunk.Bytes.Length;
    }

    public void AddLogits(ReadOnlySpan<float> logits) => _logProbRows.Add(ReceiptHashing.LogProbRow(logits));

    public ReceiptFields Fields() => new()
    {
        ModelId = modelId,
        TaskId = taskId,
        Start = start,
        End = end,
        Deterministic = deterministic,
        SamplingHash = ReceiptHashing.SamplingHash(sampling),
        InputHash = ReceiptHashing.ChunksHash(ReceiptHashing.InputDomain, inputKind, _inputs),
        OutputHash = ReceiptHashing.ChunksHash(ReceiptHashing.OutputDomain, outputKind, _outputs),
        LogProbCommitment = ReceiptHashing.LogProbCommitment(_logProbRows),
        InputCount = _inputs.Sum(c => c.Rows),
        OutputCount = _outputs.Sum(c => c.Rows),
    };

    public SpanRecord Record(IssuedReceipt receipt, DateTimeOffset expires) => new()
    {
        ReceiptId = receipt.Id,
        Receipt = receipt.Encoded,
        ModelId = modelId,
        Start = start,
        End = end,
        InputKind = inputKind,
        OutputKind = outputKind,
        Sampling = sampling,
        Inputs = [.. _inputs],
        Outputs = [.. _outputs],
        Expires = expires,
    };
}
