using System.Numerics;
using P2P.Consensus.Difficulty;
using P2P.Consensus.Genesis;

namespace P2P.Consensus.Rules;

/// <summary>Targets, work, share targets, epochs and issuance, derived from the genesis parameters (docs/consensus.md §5–§7).</summary>
public sealed class ChainMath
{
    private static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    public GenesisConfig Genesis { get; }
    public BigInteger PowLimit { get; }
    public AsertParameters Asert { get; }
    public byte[] ChainId { get; }

    public ChainMath(GenesisConfig genesis)
    {
        genesis.Validate();
        Genesis = genesis;
        ChainId = genesis.ChainId;
        PowLimit = CompactTarget.Decode(genesis.PowLimitBits);
        Asert = new AsertParameters(genesis.TargetBlockSeconds, genesis.AsertHalfLifeSeconds, genesis.PowLimitBits);
    }

    /// <summary>The nBits required of the block at <paramref name="height"/> (≥ 1) whose parent has timestamp <paramref name="parentTime"/>; the genesis block is the anchor.</summary>
    public uint NextBits(ulong height, long parentTime) => Difficulty.Asert.NextBits(
        Asert, 0, Genesis.Timestamp - Genesis.TargetBlockSeconds, Genesis.InitialBits, checked((long)height), parentTime);

    /// <summary>The expected number of hashes to meet a target: floor(2^256 / (target + 1)).</summary>
    public static BigInteger WorkOf(BigInteger target) => TwoTo256 / (target + 1);

    public static BigInteger BlockWork(uint bits) => WorkOf(CompactTarget.Decode(bits));

    /// <summary>min(block target × 2^k, pow limit).</summary>
    public BigInteger ShareTarget(uint bits) => BigInteger.Min(CompactTarget.Decode(bits) << Genesis.ShareShift, PowLimit);

    /// <summary>
    /// Shares one block may carry: 4 × 2^k (4 × the expected number per block interval), at least 16, at most 4096.
    /// Each costs a work-function evaluation to verify, so the cap bounds a block's validation time.
    /// </summary>
    public int MaxSharesPerBlock => (int)System.Math.Clamp(4L << Genesis.ShareShift, 16, 4096);

    /// <summary>A share's credit (and a block header's credit as its miner's share): floor(2^256 / (share target + 1)).</summary>
    public BigInteger ShareCredit(uint bits) => WorkOf(ShareTarget(bits));

    /// <summary>Epoch e holds heights e·E+1 … (e+1)·E; the genesis block (height 0) is counted in epoch 0.</summary>
    public ulong EpochOf(ulong height) => height == 0 ? 0 : (height - 1) / (ulong)Genesis.EpochLength;

    /// <summary>True for the last block of an epoch, where the epoch's issuance is paid.</summary>
    public bool IsEpochEnd(ulong height) => height > 0 && height % (ulong)Genesis.EpochLength == 0;

    /// <summary>The height whose block hash seeds epoch e's work weights: e·E (the genesis block for epoch 0).</summary>
    public ulong SeedHeight(ulong epoch) => checked(epoch * (ulong)Genesis.EpochLength);

    /// <summary>Scheduled issuance of epoch e: the initial amount halved every H epochs (H = 0: constant).</summary>
    public ulong IssuanceOf(ulong epoch)
    {
        if (Genesis.IssuanceHalvingEpochs == 0) return Genesis.IssuancePerEpoch;
        ulong halvings = epoch / (ulong)Genesis.IssuanceHalvingEpochs;
        return halvings >= 64 ? 0 : Genesis.IssuancePerEpoch >> (int)halvings;
    }

    /// <summary>Σ issuance of epochs 0 … e−1 (what a chain whose epoch e−1 just closed has scheduled).</summary>
    public BigInteger ScheduledThrough(ulong epochsClosed)
    {
        BigInteger total = 0;
        for (ulong e = 0; e < epochsClosed; e++) total += IssuanceOf(e);
        return total;
    }

    /// <summary>A target as the 32 big-endian bytes <c>WorkHash.MeetsTarget</c> compares against.</summary>
    public static byte[] TargetBytes(BigInteger target)
    {
        var bytes = new byte[32];
        if (target >= TwoTo256) target = TwoTo256 - 1;
        target.TryWriteBytes(bytes, out int written, isUnsigned: true, isBigEndian: true);
        if (written < 32)
        {
            // TryWriteBytes writes from the start: move the value to the low-order end.
            Array.Copy(bytes, 0, bytes, 32 - written, written);
            Array.Clear(bytes, 0, 32 - written);
        }
        return bytes;
    }

    public static BigInteger HashValue(ReadOnlySpan<byte> hash) => new(hash, isUnsigned: true, isBigEndian: true);
}
