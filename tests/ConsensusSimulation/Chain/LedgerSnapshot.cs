using System.Numerics;

namespace P2P.Consensus.Simulation.Chain;

/// <summary>The ledger of one node at its head, in a form two nodes can compare field by field.</summary>
/// <param name="Balances">Balance per account (hex public key), ordinal order.</param>
/// <param name="EpochWeights">Per closed or open epoch: weight per miner (hex public key).</param>
/// <param name="EpochRewards">Per closed epoch: reward per miner (hex public key).</param>
/// <param name="Issued">Total units issued so far.</param>
/// <param name="Digest">The chain's state digest.</param>
public sealed record LedgerSnapshot(
    SortedDictionary<string, ulong> Balances,
    SortedDictionary<ulong, SortedDictionary<string, BigInteger>> EpochWeights,
    SortedDictionary<ulong, SortedDictionary<string, ulong>> EpochRewards,
    BigInteger Issued,
    byte[] Digest)
{
    /// <summary>Empty when equal; otherwise the first difference, for an assertion message.</summary>
    public string DifferenceFrom(LedgerSnapshot other)
    {
        if (!Digest.AsSpan().SequenceEqual(other.Digest))
            return $"digest {Convert.ToHexStringLower(Digest)} vs {Convert.ToHexStringLower(other.Digest)}";
        if (Issued != other.Issued) return $"issued {Issued} vs {other.Issued}";
        string balances = FirstDifference(Balances, other.Balances, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (balances.Length > 0) return "balances: " + balances;
        foreach (var epoch in EpochWeights.Keys.Union(other.EpochWeights.Keys))
        {
            if (!EpochWeights.TryGetValue(epoch, out var a) || !other.EpochWeights.TryGetValue(epoch, out var b))
                return $"epoch {epoch} weights present on one side only";
            string d = FirstDifference(a, b, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (d.Length > 0) return $"epoch {epoch} weights: {d}";
        }
        foreach (var epoch in EpochRewards.Keys.Union(other.EpochRewards.Keys))
        {
            if (!EpochRewards.TryGetValue(epoch, out var a) || !other.EpochRewards.TryGetValue(epoch, out var b))
                return $"epoch {epoch} rewards present on one side only";
            string d = FirstDifference(a, b, v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (d.Length > 0) return $"epoch {epoch} rewards: {d}";
        }
        return "";
    }

    private static string FirstDifference<T>(SortedDictionary<string, T> a, SortedDictionary<string, T> b, Func<T, string> show)
    {
        foreach (var key in a.Keys.Union(b.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            bool inA = a.TryGetValue(key, out var va), inB = b.TryGetValue(key, out var vb);
            if (!inA || !inB || !EqualityComparer<T>.Default.Equals(va, vb))
                return $"{key[..12]}: {(inA ? show(va!) : "absent")} vs {(inB ? show(vb!) : "absent")}";
        }
        return "";
    }
}
