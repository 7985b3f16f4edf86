using P2P.InferenceNetwork.Adverts;

namespace P2P.InferenceNetwork.Routing;

/// <summary>
/// Chooses the span servers of a route covering [0, L), as Petals does: one candidate per distinct span is drawn by
/// weight × health (<see cref="ExecutorPicker"/>), then the route is the shortest path from layer 0 to layer L where a
/// span's cost is its time per token, <see cref="CostOf"/>: 1 / (advertised tokens/s) + the round trip to its server.
/// </summary>
public sealed class RoutePlanner(ExecutorPicker picker, PeerHealth health)
{
    /// <summary>Round trip assumed for a server this node has not measured yet: optimistic, so new servers get tried.</summary>
    public static readonly TimeSpan DefaultRoundTrip = TimeSpan.FromMilliseconds(10);

    /// <summary>Most distinct spans considered (adverts are validated, but their number is up to the network).</summary>
    public const int MaxSpans = 256;

    /// <summary>Seconds per token through <paramref name="advert"/>'s span: compute from its advertised throughput, plus the round trip.</summary>
    public double CostOf(CapabilityAdvert advert)
    {
        double compute = advert.TokensPerSecond > 0 ? 1.0 / advert.TokensPerSecond : 1.0;
        // Measured step latency includes the server's compute; what remains is the network's share.
        double roundTrip = health.Latency(advert.PeerId) is { } measured ? Math.Max(0, measured.TotalSeconds - compute) : DefaultRoundTrip.TotalSeconds;
        return compute + roundTrip;
    }

    /// <summary>The cheapest chain of spans from 0 to <paramref name="layers"/>; null when none covers the model.</summary>
    public List<CapabilityAdvert>? Plan(IEnumerable<CapabilityAdvert> adverts, int layers, IReadOnlySet<string> exclude)
    {
        var candidates = new List<CapabilityAdvert>();
        foreach (var span in adverts.Where(a => a.Start >= 0 && a.End <= layers && a.Start < a.End).GroupBy(a => (a.Start, a.End)).Take(MaxSpans))
        {
            if (picker.Pick(span, exclude) is { } chosen) candidates.Add(chosen);
        }
        // Dijkstra over layer boundaries; spans only go forward, so settling boundaries in cost order is exact.
        var best = new double[layers + 1];
        var via = new CapabilityAdvert?[layers + 1];
        Array.Fill(best, double.PositiveInfinity);
        best[0] = 0;
        var queue = new PriorityQueue<int, double>();
        queue.Enqueue(0, 0);
        var settled = new bool[layers + 1];
        while (queue.TryDequeue(out int at, out _))
        {
            if (settled[at]) continue;
            settled[at] = true;
            if (at == layers) break;
            foreach (var span in candidates.Where(c => c.Start == at))
            {
                double cost = best[at] + CostOf(span);
                if (cost < best[span.End])
                {
                    best[span.End] = cost;
                    via[span.End] = span;
                    queue.Enqueue(span.End, cost);
                }
            }
        }
        if (via[layers] is null) return null;
        var route = new List<CapabilityAdvert>();
        for (int at = layers; at > 0; at = via[at]!.Start) route.Add(via[at]!);
        route.Reverse();
        return route;
    }
}
