using P2P.Consensus.Encoding;
using P2P.Networking.Identity;

namespace P2P.Consensus.Blocks;

/// <summary>An executor's signed statement that it ran a span of a model's layers on an input (docs/consensus.md §2.4; checked here without re-execution).</summary>
public sealed record Receipt : BodyItem
{
    public const int EncodedLength = 32 * 3 + 4 + 4 + 1 + 32 * 4 + 4 + 4 + 8 + Signing.SignatureLength;
    private const string Domain = "p2p/receipt/2";

    public required byte[] Executor { get; init; }
    public required byte[] TaskId { get; init; }
    /// <summary>Hash naming the model (its genesis spec or weights).</summary>
    public required byte[] Model { get; init; }
    /// <summary>First layer of the span executed.</summary>
    public uint ShardStart { get; init; }
    /// <summary>One past the last layer of the span executed.</summary>
    public uint ShardEnd { get; init; }
    /// <summary>Run in deterministic mode, so a validator can reproduce it bit for bit; only such receipts enter the lottery. Encoded as one byte, 1 or 0.</summary>
    public bool Deterministic { get; init; }
    /// <summary>SHA-256 of the canonical sampling parameters and seed (defined in docs/inference.md; opaque to consensus).</summary>
    public required byte[] SamplingHash { get; init; }
    public required byte[] InputHash { get; init; }
    public required byte[] OutputHash { get; init; }
    /// <summary>Commitment to the per-token top-k log-probabilities.</summary>
    public required byte[] LogProbCommitment { get; init; }
    /// <summary>Tokens or hidden-state rows in.</summary>
    public uint InputCount { get; init; }
    /// <summary>Tokens or hidden-state rows out.</summary>
    public uint OutputCount { get; init; }
    /// <summary>The epoch the work was done in; a block includes receipts of its own epoch only.</summary>
    public ulong Epoch { get; init; }
    public required byte[] Signature { get; init; }

    public override BodyItemType Type => BodyItemType.Receipt;

    private CanonicalWriter WriteFields(CanonicalWriter w) => w
        .Fixed(Executor, 32).Fixed(TaskId, 32).Fixed(Model, 32).U32(ShardStart).U32(ShardEnd).U8(Deterministic ? (byte)1 : (byte)0)
        .Fixed(SamplingHash, 32).Fixed(InputHash, 32).Fixed(OutputHash, 32).Fixed(LogProbCommitment, 32)
        .U32(InputCount).U32(OutputCount).U64(Epoch);

    public override byte[] Encode() => WriteFields(new CanonicalWriter()).Fixed(Signature, Signing.SignatureLength).ToArray();

    /// <summary>The receipt id: SHA-256(domain ‖ chain id ‖ every field but the signature). The executor signs the id.</summary>
    public byte[] Id(ReadOnlySpan<byte> chainId) => Hashing.Sha256(WriteFields(new CanonicalWriter().Text(Domain).Fixed(chainId, 32)).ToArray());

    public bool HasValidSignature(ReadOnlySpan<byte> chainId) => Signing.Verify(Executor, Id(chainId), Signature);

    public Receipt SignedBy(Ed25519PrivateKey executor, ReadOnlySpan<byte> chainId)
    {
        var unsigned = this with { Executor = Signing.PublicKeyOf(executor) };
        return unsigned with { Signature = Signing.Sign(executor, unsigned.Id(chainId)) };
    }

    /// <summary>Any non-zero deterministic byte decodes as true; only 1 re-encodes to the same bytes, so others are rejected as non-canonical.</summary>
    public static Receipt Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        var receipt = new Receipt
        {
            Executor = r.Fixed(32),
            TaskId = r.Fixed(32),
            Model = r.Fixed(32),
            ShardStart = r.U32(),
            ShardEnd = r.U32(),
            Deterministic = r.U8() != 0,
            SamplingHash = r.Fixed(32),
            InputHash = r.Fixed(32),
            OutputHash = r.Fixed(32),
            LogProbCommitment = r.Fixed(32),
            InputCount = r.U32(),
            OutputCount = r.U32(),
            Epoch = r.U64(),
            Signature = r.Fixed(Signing.SignatureLength),
        };
        r.ExpectEnd();
        return receipt;
    }
}
