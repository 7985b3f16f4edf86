using System.Numerics;
using P2P.Consensus.Encoding;

namespace P2P.Consensus.Sync;

/// <summary>chain id (32) ‖ genesis hash (32) ‖ head hash (32) ‖ u64 height ‖ u32 length ‖ cumulative work (unsigned big-endian, no leading zero byte).</summary>
internal static class SyncStatusCodec
{
    public static void Write(CanonicalWriter w, SyncStatus status)
    {
        if (status.CumulativeWork.Sign < 0) throw new ArgumentException("negative cumulative work");
        var work = status.CumulativeWork.IsZero ? [] : status.CumulativeWork.ToByteArray(isUnsigned: true, isBigEndian: true);
        w.Fixed(status.ChainId, 32).Fixed(status.GenesisHash, 32).Fixed(status.HeadHash, 32).U64(status.Height).Bytes(work);
    }

    public static SyncStatus Read(ref CanonicalReader r)
    {
        var chainId = r.Fixed(32);
        var genesis = r.Fixed(32);
        var head = r.Fixed(32);
        ulong height = r.U64();
        var work = r.Bytes(SyncLimits.MaxWorkBytes);
        if (work.Length > 0 && work[0] == 0) throw new FormatException("cumulative work with a leading zero byte");
        return new SyncStatus(chainId, genesis, head, height, new BigInteger(work, isUnsigned: true, isBigEndian: true));
    }
}
