using System.Numerics;
using P2P.Consensus.Encoding;
using P2P.Consensus.State;

namespace P2P.Consensus.Ledger;

/// <summary>Splits an epoch's issuance pro rata to weight in integer arithmetic (docs/consensus.md §7).</summary>
public static class RewardSplit
{
    /// <summary>
    /// Each miner gets floor(I·w/W); the R = I − Σ floor units left over go one each to the R miners with the largest
    /// remainders (I·w mod W), ties to the smaller public key (bytewise). A forfeiting miner's amount is computed the
    /// same way and then not issued. So Σ issued = I − Σ forfeited exactly.
    /// </summary>
    public static EpochRecord Split(ulong epoch, ulong issuance, IReadOnlyList<MinerWeight> weights, IReadOnlySet<byte[]> forfeits)
    {
        BigInteger total = 0;
        foreach (var w in weights)
        {
            if (w.Weight.Sign < 0) throw new ArgumentException("negative weight");
            total += w.Weight;
        }
        if (total.IsZero)
            return new EpochRecord(epoch, issuance, 0, issuance, 0, []);

        var shares = new ulong[weights.Count];
        var remainders = new BigInteger[weights.Count];
        ulong distributed = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            var quotient = BigInteger.DivRem(issuance * weights[i].Weight, total, out remainders[i]);
            shares[i] = (ulong)quotient;
            distributed += shares[i];
        }
        ulong left = issuance - distributed;
        var order = Enumerable.Range(0, weights.Count)
            .OrderByDescending(i => remainders[i])
            .ThenBy(i => weights[i].Miner, ByteArrayComparer.Instance)
            .Take((int)left);
        foreach (int i in order) shares[i]++;

        ulong issued = 0, forfeited = 0;
        var rewards = new List<EpochReward>(weights.Count);
        for (int i = 0; i < weights.Count; i++)
        {
            bool lost = forfeits.Contains(weights[i].Miner);
            if (lost) forfeited += shares[i]; else issued += shares[i];
            rewards.Add(new EpochReward(weights[i].Miner, weights[i].Weight, shares[i], lost));
        }
        return new EpochRecord(epoch, issuance, issued, forfeited, total, rewards);
    }
}
