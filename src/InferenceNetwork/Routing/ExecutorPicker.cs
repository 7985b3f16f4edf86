using P2P.InferenceNetwork.Adverts;

namespace P2P.InferenceNetwork.Routing;

/// <summary>Chooses among adverts at random, weighted by weight × health × (free slots ? 1 : 0.1); peers backing off are skipped.</summary>
public sealed class ExecutorPicker(IExecutorWeights weights, PeerHealth health, Random random)
{
    private readonly Lock _lock = new();

    public CapabilityAdvert? Pick(IEnumerable<CapabilityAdvert> candidates, IReadOnlySet<string> exclude)
    {
        var pool = candidates.Where(a => !exclude.Contains(a.PeerId) && !health.IsBackingOff(a.PeerId))
            .Select(a => (Advert: a, Weight: weights.WeightOf(a.PeerId) * health.Score(a.PeerId) * (a.FreeSlots > 0 ? 1.0 : 0.1)))
            .Where(c => c.Weight > 0)
            .ToList();
        if (pool.Count == 0) return null;
        double total = pool.Sum(c => c.Weight), draw;
        lock (_lock) draw = random.NextDouble() * total;
        foreach (var (advert, weight) in pool)
        {
            if (draw < weight) return advert;
            draw -= weight;
        }
        return pool[^1].Advert;
    }
}
