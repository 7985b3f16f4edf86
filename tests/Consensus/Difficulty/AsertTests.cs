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
    public void Block_one_after_a_genesis_anchor_gets_the_genesis_bits()
    {
        Assert.Equal(GenesisBits, Next(1, GenesisTime));
    }

    [Fact]
    public void On_schedule_blocks_keep_the_anchor_bits()
    {
        for (long h = 1; h < 200; h++)
            Assert.Equal(GenesisBits, Next(h, GenesisTime + (h - 1) * Devnet.IdealBlockSeconds));
    }

    [Fact]
    public void One_half_life_behind_schedule_doubles_the_target_and_ahead_halves_it()
    {
        BigInteger anchor = CompactTarget.Decode(GenesisBits);
        Assert.Equal(CompactTarget.Encode(anchor * 2), Next(10, GenesisTime + 9 * 5 + 60));
        Assert.Equal(CompactTarget.Encode(anchor / 2), Next(10, GenesisTime + 9 * 5 - 60));
    }

    [Fact]
    public void Targets_clamp_to_the_pow_limit_and_to_one()
    {
        Assert.Equal(Devnet.PowLimitBits, Next(2, GenesisTime + 1_000_000));
        Assert.Equal(0x01010000u, Next(1_000_000, GenesisTime));
    }

    [Fact]
    public void Extreme_timestamps_saturate_instead_of_overflowing()
    {
        Assert.Equal(Devnet.PowLimitBits, Next(2, long.MaxValue));
        Assert.Equal(0x01010000u, Next(2, long.MinValue));
        Assert.Equal(0x01010000u, Next(long.MaxValue, GenesisTime));
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_a_reason()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Next(0, GenesisTime));
        Assert.Throws<ArgumentOutOfRangeException>(() => Asert.NextBits(Devnet with { HalfLifeSeconds = 0 }, 0, 0, GenesisBits, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Asert.NextBits(Devnet with { IdealBlockSeconds = 0 }, 0, 0, GenesisBits, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Asert.NextBits(Devnet with { PowLimitBits = 0x1d00ffff }, 0, 0, GenesisBits, 1, 0));
        Assert.Throws<FormatException>(() => Asert.NextBits(Devnet, 0, 0, 0x01fedcba, 1, 0));
    }
}
