using System.Diagnostics;
using P2P.Work;
using P2P.Work.Kernels;

namespace P2P.Bench.Work;

/// <summary>One thread's batched passes timed phase by phase (`--phases`): where a work/1 pass spends its time.</summary>
internal static class PhaseProfile
{
    public static void Print(WorkWeights weights, byte[] challenge, Int8GemmKernel kernel, int batch, TimeSpan duration)
    {
        var evaluator = new BatchedWorkEvaluator(weights, batch, kernel);
        var nonces = new ulong[batch];
        var hashes = new byte[batch * 32];
        var activations = new sbyte[batch * weights.Profile.ActivationBytes];
        ulong next = 0;
        void Pass()
        {
            for (int i = 0; i < batch; i++) nonces[i] = next++;
            evaluator.Hashes(challenge, nonces, hashes, activations);
        }
        for (int i = 0; i < 3; i++) Pass();

        // Per phase, the fastest pass's share is not meaningful (phases interleave); the median over passes of each
        // phase's time is, and it resists the time slices a shared machine takes from random passes.
        var phases = Enum.GetValues<WorkPassPhases.Phase>();
        var samples = phases.ToDictionary(p => p, _ => new List<double>());
        var profile = new WorkPassPhases();
        evaluator.Phases = profile;
        var sw = Stopwatch.StartNew();
        int passes = 0;
        while (passes < 5 || sw.Elapsed < duration)
        {
            profile.Reset();
            Pass();
            foreach (var p in phases) samples[p].Add(profile[p].TotalMilliseconds / batch);
            passes++;
        }
        var median = phases.ToDictionary(p => p, p => Median(samples[p]));
        double total = median.Values.Sum();
        double gemm = phases.Where(WorkPassPhases.IsMatrixProduct).Sum(p => median[p]);
        Console.WriteLine($"phases of one {weights.Profile.Name} pass, {kernel.Name} kernel, 1 thread, batch {batch}, median of {passes} passes, ms per nonce:");
        Console.WriteLine($"{"phase",-22} {"ms/nonce",9} {"share",7}");
        foreach (var p in phases)
            Console.WriteLine($"{p,-22} {median[p],9:F3} {median[p] / total,7:P1}{(WorkPassPhases.IsMatrixProduct(p) ? "  (matrix product)" : "")}");
        Console.WriteLine($"{"total",-22} {total,9:F3}   matrix products {gemm / total:P1}, the rest {(total - gemm) / total:P1}");
        Console.WriteLine();
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
