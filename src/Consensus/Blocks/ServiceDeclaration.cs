using P2P.Consensus.Encoding;
using P2P.Networking.Identity;

namespace P2P.Consensus.Blocks;

/// <summary>A node's signed statement that it serves a span of a model's layers in an epoch: it makes the node a lottery candidate for receipts of that span (docs/consensus.md §4.7).</summary>
public sealed record ServiceDeclaration : BodyItem
{
    public const int EncodedLength = 32 + 32 + 4 + 4 + 8 + Signing.SignatureLength;
    private const string Domain = "p2p/service/1";

    public required byte[] Node { get; init; }
    public required byte[] Model { get; init; }
    public uint ShardStart { get; init; }
    public uint ShardEnd { get; init; }
    public ulong Epoch { get; init; }
    public required byte[] Signature { get; init; }

    public override BodyItemType Type => BodyItemType.ServiceDeclaration;

    private CanonicalWriter WriteFields(CanonicalWriter w) => w.Fixed(Node, 32).Fixed(Model, 32).U32(ShardStart).U32(ShardEnd).U64(Epoch);

    public override byte[] Encode() => WriteFields(new CanonicalWriter()).Fixed(Signature, Signing.SignatureLength).ToArray();

    public byte[] SigningBytes(ReadOnlySpan<byte> chainId) => WriteFields(new CanonicalWriter().Text(Domain).Fixed(chainId, 32)).ToArray();

    public bool HasValidSignature(ReadOnlySpan<byte> chainId) => Signing.Verify(Node, SigningBytes(chainId), Signature);

    /// <summary>True when this declaration's span contains [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public bool Covers(uint start, uint end) => ShardStart <= start && end <= ShardEnd;

    public static ServiceDeclaration Create(Ed25519PrivateKey node, ReadOnlySpan<byte> chainId, byte[] model, uint shardStart, uint shardEnd, ulong epoch)
    {
        var unsigned = new ServiceDeclaration
        {
            Node = Signing.PublicKeyOf(node),
            Model = model,
            ShardStart = shardStart,
            ShardEnd = shardEnd,
            Epoch = epoch,
            Signature = new byte[Signing.SignatureLength],
        };
        return unsigned with { Signature = Signing.Sign(node, unsigned.SigningBytes(chainId)) };
    }

    public static ServiceDeclaration Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        var declaration = new ServiceDeclaration
        {
            Node = r.Fixed(32),
            Model = r.Fixed(32),
            ShardStart = r.U32(),
            ShardEnd = r.U32(),
            Epoch = r.U64(),
            Signature = r.Fixed(Signing.SignatureLength),
        };
        r.ExpectEnd();
        return declaration;
    }
}
