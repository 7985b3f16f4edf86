using System.Numerics;
using P2P.Consensus.Difficulty;
using P2P.Consensus.Genesis;

namespace P2P.Consensus.Simulation;

/// <summary>
/// Genesis files for simulations: the real devnet rules with an easy initial target, so that a block takes
/// <c>noncesPerBlock</c> real work-function evaluations and a run of hundreds of blocks fits in seconds of CPU.
/// Virtual time is free, so the block time can be long (fewer whole-second timestamp ties) while the nonce rate is low.
/// </summary>
public static class SimulationGenesis
{
    /// <summary>14 Nov 2023 22:13:20 UTC: any fixed time works, the simulation's clock starts here.</summary>
    public const long Timestamp = 1_700_000_000;

    public static GenesisConfig Create(int epochLength, int shareShift, long targetBlockSeconds = 60, long halfLifeSeconds = 600,
                                       int noncesPerBlock = 64, int halvingEpochs = 0, string workProfile = "devnet", string chainName = "p2p-sim")
    {
        var genesis = GenesisConfig.Devnet(Timestamp, chainName) with
        {
            WorkProfile = workProfile,
            InitialBits = CompactTarget.Encode(CompactTarget.TwoTo256 / noncesPerBlock - 1),
            TargetBlockSeconds = targetBlockSeconds,
            AsertHalfLifeSeconds = halfLifeSeconds,
            EpochLength = epochLength,
            ShareShift = shareShift,
            IssuanceHalvingEpochs = halvingEpochs,
            Models = [],
        };
        genesis.Validate();
        return genesis;
    }

    /// <summary>Total nonces per virtual second that makes the genesis target give one block per target block time.</summary>
    public static double EquilibriumNonceRate(GenesisConfig genesis) =>
        (double)CompactTarget.Work(CompactTarget.Decode(genesis.InitialBits)) / genesis.TargetBlockSeconds;

    /// <summary>Issuance of epoch <paramref name="epoch"/> by the documented schedule: halving every H epochs (H = 0: constant).</summary>
    public static ulong ScheduledIssuance(GenesisConfig genesis, ulong epoch) =>
        genesis.IssuanceHalvingEpochs == 0 ? genesis.IssuancePerEpoch
        : epoch / (ulong)genesis.IssuanceHalvingEpochs >= 64 ? 0
        : genesis.IssuancePerEpoch >> (int)(epoch / (ulong)genesis.IssuanceHalvingEpochs);

    /// <summary>The schedule's total over the first <paramref name="closedEpochs"/> epochs.</summary>
    public static BigInteger ScheduledTotal(GenesisConfig genesis, int closedEpochs)
    {
        BigInteger total = 0;
        for (ulong e = 0; e < (ulong)closedEpochs; e++) total += ScheduledIssuance(genesis, e);
        return total;
    }
}
