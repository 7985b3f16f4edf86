using P2P.Consensus.Encoding;
using P2P.Networking.Identity;

namespace P2P.Consensus.Blocks;

/// <summary>A signed payment: the sender's account pays <see cref="Amount"/> to <see cref="To"/> and <see cref="Fee"/> to the including block's miner.</summary>
public sealed record Transfer : BodyItem
{
    public const int EncodedLength = 32 + 32 + 8 + 8 + 8 + Signing.SignatureLength;
    private const string Domain = "p2p/transfer/1";

    public required byte[] From { get; init; }
    public required byte[] To { get; init; }
    public ulong Amount { get; init; }
    public ulong Fee { get; init; }
    /// <summary>The sender's account nonce this transfer consumes (the first transfer of an account has nonce 0).</summary>
    public ulong Nonce { get; init; }
    public required byte[] Signature { get; init; }

    public override BodyItemType Type => BodyItemType.Transfer;

    public override byte[] Encode() => new CanonicalWriter()
        .Fixed(From, 32).Fixed(To, 32).U64(Amount).U64(Fee).U64(Nonce).Fixed(Signature, Signing.SignatureLength).ToArray();

    /// <summary>What the sender signs: the domain, the chain id (no replay across chains) and every field but the signature.</summary>
    public byte[] SigningBytes(ReadOnlySpan<byte> chainId) => new CanonicalWriter()
        .Text(Domain).Fixed(chainId, 32).Fixed(From, 32).Fixed(To, 32).U64(Amount).U64(Fee).U64(Nonce).ToArray();

    public bool HasValidSignature(ReadOnlySpan<byte> chainId) => Signing.Verify(From, SigningBytes(chainId), Signature);

    public static Transfer Create(Ed25519PrivateKey sender, ReadOnlySpan<byte> chainId, byte[] to, ulong amount, ulong fee, ulong nonce)
    {
        var unsigned = new Transfer
        {
            From = Signing.PublicKeyOf(sender),
            To = to,
            Amount = amount,
            Fee = fee,
            Nonce = nonce,
            Signature = new byte[Signing.SignatureLength],
        };
        return unsigned with { Signature = Signing.Sign(sender, unsigned.SigningBytes(chainId)) };
    }

    public static Transfer Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        var transfer = new Transfer
        {
            From = r.Fixed(32),
            To = r.Fixed(32),
            Amount = r.U64(),
            Fee = r.U64(),
            Nonce = r.U64(),
            Signature = r.Fixed(Signing.SignatureLength),
        };
        r.ExpectEnd();
        return transfer;
    }
}
