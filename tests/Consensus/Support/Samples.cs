using P2P.Consensus.Blocks;
using P2P.Networking.Identity;

namespace P2P.Consensus.Tests.Support;

/// <summary>Signed receipts, verdicts and service declarations with fixed contents.</summary>
public static class Samples
{
    public static byte[] Fill(byte value) => Enumerable.Repeat(value, 32).ToArray();

    public static Receipt Receipt(Ed25519PrivateKey executor, byte[] chainId, ulong epoch, byte task = 7) => new Receipt
    {
        Executor = new byte[32],
        TaskId = Fill(task),
        Model = Fill(2),
        ShardStart = 0,
        ShardEnd = 4,
        Deterministic = true,
        SamplingHash = Fill(6),
        InputHash = Fill(3),
        OutputHash = Fill(4),
        LogProbCommitment = Fill(5),
        InputCount = 3,
        OutputCount = 2,
        Epoch = epoch,
        Signature = new byte[64],
    }.SignedBy(executor, chainId);

    /// <summary>A declaration that <paramref name="node"/> serves layers 0–8 of the sample model (covering the sample receipt's 0–4).</summary>
    public static ServiceDeclaration Declaration(Ed25519PrivateKey node, byte[] chainId, ulong epoch, uint start = 0, uint end = 8) =>
        ServiceDeclaration.Create(node, chainId, Fill(2), start, end, epoch);

    public static Verdict Verdict(Ed25519PrivateKey validator, byte[] chainId, byte[] receiptId, bool valid, ulong epoch) => new Verdict
    {
        ReceiptId = receiptId,
        Validator = new byte[32],
        Valid = valid,
        Reason = valid ? VerdictReason.Reproduced : VerdictReason.OutputMismatch,
        OutputHash = Fill(valid ? (byte)4 : (byte)9),
        Epoch = epoch,
        Signature = new byte[64],
    }.SignedBy(validator, chainId);
}
