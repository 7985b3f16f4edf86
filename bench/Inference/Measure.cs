using System.Diagnostics;

namespace P2P.Bench.Inference;

/// <summary>Times an action repeatedly and keeps the best run (the least disturbed by other load on the machine).</summary>
internal static class Measure
{
    public static TimeSpan Best(Action action, int repetitions, double minSeconds = 0)
    {
        action();
        var best = TimeSpan.MaxValue;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < repetitions || total.Elapsed.TotalSeconds < minSeconds; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        return best;
    }
}
