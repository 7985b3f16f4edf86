using System.Numerics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Reasons;
using P2P.Consensus.Rules;

namespace P2P.Consensus.State;

/// <summary>A node of the block tree held in memory: header, parent, cumulative work and status.</summary>
public sealed class BlockIndexEntry
{
    public required byte[] Hash { get; init; }
    public required BlockHeader Header { get; init; }
    public BlockIndexEntry? Parent { get; init; }
    public ulong Height => Header.Height;
    /// <summary>Σ floor(2^256 / (target + 1)) over this block and its ancestors, genesis included.</summary>
    public BigInteger CumulativeWork { get; init; }
    public BlockStatus Status { get; set; }
    public RejectReason InvalidReason { get; set; }

    public byte[] Encode() => new CanonicalWriter()
        .U64(Height).Bytes(CumulativeWork.ToByteArray(isUnsigned: true, isBigEndian: true)).U8((byte)Status).U32((uint)InvalidReason)
        .Fixed(Header.Encode(), BlockHeader.EncodedLength).ToArray();

    public static (BigInteger Work, BlockStatus Status, RejectReason Reason, BlockHeader Header) Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new CanonicalReader(bytes);
        ulong height = r.U64();
        var work = new BigInteger(r.Bytes(64), isUnsigned: true, isBigEndian: true);
        var status = (BlockStatus)r.U8();
        var reason = (RejectReason)r.U32();
        var header = BlockHeader.Decode(r.Fixed(BlockHeader.EncodedLength));
        r.ExpectEnd();
        if (header.Height != height) throw new FormatException("block index height disagrees with its header");
        return (work, status, reason, header);
    }

    public override string ToString() => $"#{Height} {Hashing.Short(Hash)}";
}
