using System.Diagnostics;

namespace P2P.Bench.Consensus;

/// <summary>Timing helpers: the best of short windows, so that a shared machine's stolen time slices bias both sides of a ratio alike.</summary>
internal static class Measure
{
    /// <summary>Seconds per call of <paramref name="action"/>: the best mean over windows of at least <paramref name="window"/>, for <paramref name="total"/>.</summary>
    public static double BestSecondsPerCall(Action action, TimeSpan window, TimeSpan total)
    {
        action(); // warm-up (JIT, caches)
        double best = double.MaxValue;
        var overall = Stopwatch.StartNew();
        while (overall.Elapsed < total || best == double.MaxValue)
        {
            int calls = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < window) { action(); calls++; }
            best = Math.Min(best, sw.Elapsed.TotalSeconds / calls);
        }
        return best;
    }

    public static string Ms(double seconds) => $"{seconds * 1e3:F3} ms";
}
