using System.Numerics;
using P2P.Consensus.State;
using P2P.InferenceNetwork.Routing;
using P2P.Networking.Identity;

namespace P2P.Daemon.Gateway;

/// <summary>
/// Executor weights from the chain: the share of the last closed epoch's weight (<c>GetEpochWeights</c>, docs/consensus.md §7)
/// credited to the Ed25519 key that signs the executor's adverts, never below <see cref="Floor"/> so a young network
/// (no closed epoch yet, or executors that have not mined) can still route.
/// </summary>
public sealed class ChainExecutorWeights(ChainState chain, double floor = ChainExecutorWeights.DefaultFloor) : IExecutorWeights
{
    /// <summary>Weight of an executor with no credited work: 1 % of a closed epoch's total weight.</summary>
    public const double DefaultFloor = 0.01;

    private readonly Lock _lock = new();
    private long _epoch = -1;
    private Dictionary<string, double> _shares = [];

    public double Floor { get; } = floor;

    /// <summary>The epoch whose weights are used now (the last closed one), or -1 before any epoch closed.</summary>
    public long Epoch
    {
        get
        {
            lock (_lock) return Refresh();
        }
    }

    public double WeightOf(string peerId)
    {
        var key = KeyOf(peerId);
        lock (_lock)
        {
            Refresh();
            return key is not null && _shares.TryGetValue(key, out var share) ? Math.Max(Floor, share) : Floor;
        }
    }

    /// <summary>Re-reads the weights when another epoch has closed; returns the epoch in use.</summary>
    private long Refresh()
    {
        // Epoch e ends at height (e + 1)·E, so floor(h / E) epochs are closed at height h.
        long closed = (long)(chain.Head.Height / (ulong)chain.Genesis.EpochLength) - 1;
        if (closed == _epoch) return _epoch;
        var weights = closed >= 0 ? chain.GetEpochWeights((ulong)closed) : [];
        var total = weights.Aggregate(BigInteger.Zero, (sum, w) => sum + w.Weight);
        _shares = total.IsZero
            ? []
            : weights.ToDictionary(w => Convert.ToHexString(w.Miner), w => (double)(w.Weight * 1_000_000 / total) / 1_000_000);
        _epoch = closed;
        return _epoch;
    }

    private static string? KeyOf(string peerId)
    {
        if (!PeerId.TryParse(peerId, out var peer) || peer is null) return null;
        try
        {
            return PublicKey.FromPeerId(peer) is Ed25519PublicKey key ? Convert.ToHexString(key.Raw) : null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
