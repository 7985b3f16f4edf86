using System.Collections.Concurrent;
using P2P.InferenceNetwork.Routing;

namespace P2P.Accountability.Health;

/// <summary>
/// Routing weights that route around the peers the chain convicted: an executor with a final "invalid" receipt or a
/// validator that lost an escalation weighs 0 until <see cref="Penalty"/> epochs after the conviction; a validator
/// that missed a deadline weighs a tenth. Everyone else keeps the inner weight.
/// </summary>
public sealed class AccountableWeights(IExecutorWeights inner) : IExecutorWeights
{
    /// <summary>Epochs a conviction lasts beyond the one it happened in.</summary>
    public const ulong Penalty = 1;

    private readonly ConcurrentDictionary<string, (ulong Epoch, bool Convicted)> _penalties = new();
    private ulong _epoch;

    public double WeightOf(string peerId)
    {
        double weight = inner.WeightOf(peerId);
        if (!_penalties.TryGetValue(peerId, out var penalty) || penalty.Epoch + Penalty < Volatile.Read(ref _epoch)) return weight;
        return penalty.Convicted ? 0 : weight * 0.1;
    }

    public bool IsConvicted(string peerId) => _penalties.TryGetValue(peerId, out var p) && p.Convicted && p.Epoch + Penalty >= Volatile.Read(ref _epoch);

    /// <summary>Peers routed around now.</summary>
    public IReadOnlyList<string> Convicted() => [.. _penalties.Keys.Where(IsConvicted).Order(StringComparer.Ordinal)];

    public void SetEpoch(ulong epoch) => Volatile.Write(ref _epoch, epoch);

    public void Convict(string peerId, ulong epoch) => _penalties[peerId] = (epoch, true);

    /// <summary>A missed deadline: less weight, not exclusion (a conviction stays a conviction).</summary>
    public void Demote(string peerId, ulong epoch) => _penalties.AddOrUpdate(peerId, (epoch, false), (_, old) => old.Convicted ? old : (epoch, false));
}
