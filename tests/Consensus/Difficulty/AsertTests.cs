using System.Numerics;
using P2P.Consensus.Difficulty;

namespace P2P.Consensus.Tests.Difficulty;

/// <summary>ASERT's behaviour at the edges this chain uses: genesis as anchor, an easy pow limit, extreme timestamps.</summary>
public sealed class AsertTests
{
    private static readonly AsertParameters Devnet = new(5, 60, 0x2100ffff);
    private const uint GenesisBits = 0x1f0fffff;
    private const long GenesisTime = 1_700_000_000;

    private static uint Next(long height, long parentTime) =>
        Asert.NextBits(Devnet, 0, GenesisTime - Devnet.IdealBlockSeconds, GenesisBits, height, parentTime);

    [Fact]
    public void Asert_GivesBlockOneTheGenesisBits_AfterAGenesisAnchor()
    {
        Assert.Equal(GenesisBits, Next(1, GenesisTime));
    }

    [Fact]
    public void Asert_KeepsTheAnchorBits_OnSchedule()
    {
        for (long h = 1; h < 200; h++)
            Assert.Equal(GenesisBits, Next(h, GenesisTime + (h - 1) * Devnet.IdealBlockSeconds));
    }

    [Fact]
    public void Asert_DoublesTheTargetOneHalfLifeBehindSchedule_AndHalvesItAhead()
    {
        BigInteger anchor = CompactTarget.Decode(GenesisBits);
        Assert.Equal(CompactTarget.Encode(anchor * 2), Next(10, GenesisTime + 9 * 5 + 60));
        Assert.Equal(CompactTarget.Encode(anchor / 2), Next(10, GenesisTime + 9 * 5 - 60));
    }

    [Fact]
    public void Asert_ClampsTargetsToThePowLimitAndToOne()
    {
        Assert.Equal(Devnet.PowLimitBits, Next(2, GenesisTime + 1_000_000));
        Assert.Equal(0x01010000u, Next(1_000_000, GenesisTime));
    }

    [Fact]
    public void Asert_Saturates_InsteadOfOverflowingOnExtremeTimestamps()
    {
        Assert.Equal(Devnet.PowLimitBits, Next(2, long.MaxValue));
        Assert.Equal(0x01010000u, Next(2, long.MinValue));
        Assert.Equal(0x01010000u, Next(long.MaxValue, GenesisTime));
    }

    [Fact]
    public void Asert_RejectsBadArgumentsWithAReason()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Next(0, GenesisTime));
        Assert.Throws<ArgumentOutOfRangeException>(() => Asert.NextBits(Devnet with { HalfLifeSeconds = 0 }, 0, 0, GenesisBits, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Asert.NextBits(Devnet with { IdealBlockSeconds = 0 }, 0, 0, GenesisBits, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Asert.NextBits(Devnet with { PowLimitBits = 0x1d00ffff }, 0, 0, GenesisBits, 1, 0));
        Assert.Throws<FormatException>(() => Asert.NextBits(Devnet, 0, 0, 0x01fedcba, 1, 0));
    }
}
