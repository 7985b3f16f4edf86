using System.Diagnostics;
using P2P.Bench.Work;
using P2P.Work;
using P2P.Work.Kernels;
using P2P.Work.Throughput;

// Prints, in one run: the machine's peak multiply-accumulate rate from tight register-only loops, then for every work/1
// profile the batched miner's nonces/s and effective int8 MAC/s with 1 and 2 threads, as a ratio of the best loop.
// Miner rounds (one batch per thread) alternate with peak-loop windows of the same length (MiningThroughput), so both
// sides of the ratio see the same neighbours on a shared machine. --phases on|only adds a per-phase profile of a pass.
var options = BenchOptions.Parse(args);
Console.WriteLine($"work/1 benchmark — {Environment.ProcessorCount} logical CPUs, kernels: {string.Join(", ", Int8GemmKernel.Supported.Select(k => k.Name))}");
Console.WriteLine("(figures are noisy when other processes share the CPU)");
Console.WriteLine();

var seed = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
var challenge = Convert.FromHexString("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
if (options.Phases)
    foreach (var profile in options.Profiles)
        foreach (var kernel in options.Kernels.Where(k => k != Int8GemmKernel.Scalar))
            PhaseProfile.Print(WorkWeights.For(profile, seed), challenge, kernel, options.Batch ?? DefaultBatch(profile, kernel), TimeSpan.FromSeconds(options.Seconds));
if (options.PhasesOnly) return;

var loops = PeakLoops.Available().ToList();
Console.WriteLine($"{"peak loop",-38} {"threads",7} {"G MAC/s",9}");
foreach (var loop in loops)
    foreach (int threads in options.Threads)
    {
        double rate = PeakLoops.Measure(loop, threads, options.PeakDuration);
        Console.WriteLine($"{loop.Name,-38} {threads,7} {rate / 1e9,9:F1}");
    }
var bestLoop = PeakLoops.Best();
Console.WriteLine($"peak = best loop ({bestLoop.Name}), measured in windows interleaved with the miner's rounds");
Console.WriteLine();

Console.WriteLine($"{"profile",-9} {"kernel",-12} {"threads",7} {"batch",5} {"nonces/s",10} {"G MAC/s",8} {"/thread",8} {"peak/th",8} {"of peak",8} {"median",7} {"vs scalar",9}");
foreach (var profile in options.Profiles)
{
    var weights = WorkWeights.For(profile, seed);
    double scalarRate = 0;
    foreach (var kernel in options.Kernels)
        foreach (int threads in kernel == Int8GemmKernel.Scalar ? [1] : options.Threads)
        {
            int batch = options.Batch ?? DefaultBatch(profile, kernel);
            var miner = new WorkMiner(weights, new WorkMinerOptions { Threads = threads, BatchSize = batch, Kernel = kernel });
            if (kernel == Int8GemmKernel.Scalar)
            {
                var sw = Stopwatch.StartNew();
                scalarRate = RunBatches(miner, challenge, threads, batch) / sw.Elapsed.TotalSeconds;
                Console.WriteLine($"{profile.Name,-9} {kernel.Name,-12} {threads,7} {batch,5} {scalarRate,10:F1} {scalarRate * profile.MultiplyAccumulatesPerNonce / 1e9,8:F1}");
                continue;
            }
            // Interleaved rounds: each miner round is paired with a peak-loop window of the same length (MiningThroughput).
            var r = MiningThroughput.Measure(miner, profile, bestLoop, threads, batch, options.ProfileDuration(profile, kernel));
            string vsScalar = scalarRate > 0 ? $"{r.NoncesPerSecond / scalarRate,8:F1}x" : "";
            Console.WriteLine($"{profile.Name,-9} {kernel.Name,-12} {threads,7} {batch,5} {r.NoncesPerSecond,10:F1} {r.MacsPerSecond / 1e9,8:F1} {r.MacsPerSecond / threads / 1e9,8:F1} "
                + $"{r.PeakMacsPerSecond / threads / 1e9,8:F1} {r.OfPeak,8:P0} {r.MedianRatio,7:P0} {vsScalar,9}");
        }
}
Console.WriteLine("of peak: best round / best peak window of the same run; median: median over interleaved round/window pairs");

static int DefaultBatch(WorkProfile profile, Int8GemmKernel kernel) =>
    kernel == Int8GemmKernel.Scalar ? 1 : profile.Name switch { "devnet" => 48, "standard" => 6, _ => 6 };

static long RunBatches(WorkMiner miner, byte[] challenge, int threads, int batch) =>
    miner.Mine(challenge, new byte[32], 0, CancellationToken.None, maxNonces: (long)threads * batch).NoncesTried;
