using P2P.Consensus.Blocks;
using P2P.InferenceNetwork.Receipts;

namespace P2P.Accountability.Receipts;

/// <summary>Converts between the executor's <see cref="ReceiptFields"/> and the consensus <see cref="Receipt"/> item.</summary>
public static class ReceiptClaims
{
    public static ReceiptFields FromReceipt(Receipt receipt) => new()
    {
        ModelId = Convert.ToHexStringLower(receipt.Model),
        TaskId = receipt.TaskId,
        Start = (int)receipt.ShardStart,
        End = (int)receipt.ShardEnd,
        Deterministic = receipt.Deterministic,
        SamplingHash = receipt.SamplingHash,
        InputHash = receipt.InputHash,
        OutputHash = receipt.OutputHash,
        LogProbCommitment = receipt.LogProbCommitment,
        InputCount = (int)receipt.InputCount,
        OutputCount = (int)receipt.OutputCount,
    };

    /// <summary>The unsigned receipt for <paramref name="fields"/> in <paramref name="epoch"/>; the executor key and signature are set by <c>SignedBy</c>.</summary>
    public static Receipt ToReceipt(ReceiptFields fields, ulong epoch) => new()
    {
        Executor = new byte[32],
        TaskId = fields.TaskId,
        Model = Convert.FromHexString(fields.ModelId),
        ShardStart = (uint)fields.Start,
        ShardEnd = (uint)fields.End,
        Deterministic = fields.Deterministic,
        SamplingHash = fields.SamplingHash,
        InputHash = fields.InputHash,
        OutputHash = fields.OutputHash,
        LogProbCommitment = fields.LogProbCommitment,
        InputCount = (uint)fields.InputCount,
        OutputCount = (uint)fields.OutputCount,
        Epoch = epoch,
        Signature = new byte[Signing.SignatureLength],
    };
}
