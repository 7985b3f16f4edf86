using System.Diagnostics;

namespace P2P.Work.Throughput;

/// <summary>
/// The batched miner's speed as a ratio of the best peak loop, measured in interleaved rounds (docs/work-function.md
/// §8): one miner round (one batch per thread), then one peak-loop window of the same length on the same number of
/// threads, and again. On a shared machine both sides of every pair see the same neighbours, so the ratio is stable
/// where each figure alone is not.
/// </summary>
public static class MiningThroughput
{
    /// <summary>Figures of one measurement; rates in nonces or multiply-accumulates per second, all threads together.</summary>
    public sealed record Result(int Threads, int Rounds, double NoncesPerSecond, double SustainedNoncesPerSecond,
        double MacsPerSecond, double PeakMacsPerSecond, double MedianRatio)
    {
        /// <summary>Best round against the best peak window of the run (each the analogue of the other's short window).</summary>
        public double OfPeak => MacsPerSecond / PeakMacsPerSecond;
    }

    public static Result Measure(WorkMiner miner, WorkProfile profile, PeakLoops.Loop peak, int threads, int batch, TimeSpan duration)
    {
        var challenge = new byte[32];
        var unreachable = new byte[32];
        long macsPerNonce = profile.MultiplyAccumulatesPerNonce;
        double peakPerSecond = PeakLoops.Window(peak, threads, PeakLoops.Calibrate(peak, TimeSpan.FromMilliseconds(10))) / threads / peak.MacsPerIteration;
        // The peak side also gets ten windows of its own up front: the best window of all is the peak, so a round that
        // happens to be paired with a disturbed window cannot raise the "of peak" figure.
        double bestPeak = PeakLoops.Measure(peak, threads, TimeSpan.FromMilliseconds(Math.Clamp(duration.TotalMilliseconds / 3, 50, 1000)));
        peakPerSecond = Math.Max(peakPerSecond, bestPeak / threads / peak.MacsPerIteration);
        miner.Mine(challenge, unreachable, 0, CancellationToken.None, maxNonces: (long)threads * batch); // warm-up: JIT, caches, evaluators

        var ratios = new List<double>();
        double bestMiner = 0, minerSeconds = 0;
        long nonces = 0;
        ulong start = 0;
        var budget = Stopwatch.StartNew();
        while (ratios.Count < 5 || budget.Elapsed < duration)
        {
            var round = Stopwatch.StartNew();
            long tried = miner.Mine(challenge, unreachable, start, CancellationToken.None, maxNonces: (long)threads * batch).NoncesTried;
            double seconds = round.Elapsed.TotalSeconds;
            start += (ulong)tried;
            nonces += tried;
            minerSeconds += seconds;
            double minerRate = tried / seconds;
            // The peak window does the work the loop does in the round's time at its best rate so far: as long as the
            // round when undisturbed, longer when not. (Sizing it by the last rate instead lets one disturbed window
            // shrink the next ones until the call overhead is all they measure.)
            long iterations = Math.Max(1000, (long)(peakPerSecond * seconds));
            double peakRate = PeakLoops.Window(peak, threads, iterations);
            peakPerSecond = Math.Max(peakPerSecond, peakRate / threads / peak.MacsPerIteration);
            ratios.Add(minerRate * macsPerNonce / peakRate);
            bestMiner = Math.Max(bestMiner, minerRate);
            bestPeak = Math.Max(bestPeak, peakRate);
        }
        ratios.Sort();
        return new Result(threads, ratios.Count, bestMiner, nonces / minerSeconds, bestMiner * macsPerNonce, bestPeak, ratios[ratios.Count / 2]);
    }
}
