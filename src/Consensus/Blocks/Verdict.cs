using P2P.Consensus.Encoding;
using P2P.Networking.Identity;

namespace P2P.Consensus.Blocks;

/// <summary>A validator's signed judgement of a receipt after re-running it (docs/consensus.md §2.4, §4.6).</summary>
public sealed record Verdict : BodyItem
{
    public const int EncodedLength = 32 + 32 + 1 + 1 + 32 + 8 + Signing.SignatureLength;
    private const string Domain = "p2p/verdict/2";

    public required byte[] ReceiptId { get; init; }
    public required byte[] Validator { get; init; }
    /// <summary>True when the validator's re-run reproduced the receipt's hashes; encoded as one byte, 1 or 0.</summary>
    public bool Valid { get; init; }
    /// <summary>Why; <see cref="VerdictReason.Reproduced"/> exactly when <see cref="Valid"/> (otherwise the verdict is <c>VerdictInconsistent</c>).</summary>
    public VerdictReason Reason { get; init; }
    /// <summary>The output hash the validator computed (zero when it could not re-run).</summary>
    public required byte[] OutputHash { get; init; }
    public ulong Epoch { get; init; }
    public required byte[] Signature { get; init; }

    public override BodyItemType Type => BodyItemType.Verdict;

    /// <summary>Valid with reason 0, or invalid with one of the known non-zero reasons.</summary>
    public bool IsConsistent => Valid ? Reason == VerdictReason.Reproduced : Reason is VerdictReason.OutputMismatch or VerdictReason.LogProbMismatch or VerdictReason.InputsUnavailable;

    private CanonicalWriter WriteFields(CanonicalWriter w) => w
        .Fixed(ReceiptId, 32).Fixed(Validator, 32).U8(Valid ? (byte)1 : (byte)0).U8((byte)Reason).Fixed(OutputHash, 32).U64(Epoch);

    public override byte[] Encode() => WriteFields(new CanonicalWriter()).Fixed(Signature, Signing.SignatureLength).ToArray();

    public byte[] SigningBytes(ReadOnlySpan<byte> chainId) => WriteFields(new CanonicalWriter().Text(Domain).Fixed(chainId, 32)).ToArray();

    public bool HasValidSignature(ReadOnlySpan<byte> chainId) => Signing.Verify(Validator, SigningBytes(chainId), Signature);

    public Verdict SignedBy(Ed25519PrivateKey validator, ReadOnlySpan<byte> chainId)
    {
        var unsigned = this with { Validator = Signing.PublicKeyOf(validator) };
        return unsigned with { Signature = Signing.Sign(validator, unsigned.SigningBytes(chainId)) };
    }

    /// <summary>Any non-zero outcome byte decodes as valid; only 1 re-encodes to the same bytes, so others are rejected as non-canonical.</summary>
    public static Verdict Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        var verdict = new Verdict
        {
            ReceiptId = r.Fixed(32),
            Validator = r.Fixed(32),
            Valid = r.U8() != 0,
            Reason = (VerdictReason)r.U8(),
            OutputHash = r.Fixed(32),
            Epoch = r.U64(),
            Signature = r.Fixed(Signing.SignatureLength),
        };
        r.ExpectEnd();
        return verdict;
    }
}
