using System.Diagnostics;
using P2P.Bench.Work;
using P2P.Work.Throughput;
using P2P.Work;
using P2P.Work.Kernels;

// Prints, in one run: the machine's peak multiply-accumulate rate from tight intrinsic loops, then for every work/1
// profile the batched miner's nonces/s and effective int8 MAC/s with 1 and 2 threads, as a ratio of that peak.
// The peak loop is re-run beside every miner measurement and the best figure seen is used; the miner's figure is
// likewise the best of many short rounds (one batch per thread), so both sides of the ratio are measured the same
// way on a shared machine.
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
var peak = new Dictionary<int, double>();
Console.WriteLine($"{"peak loop",-38} {"threads",7} {"G MAC/s",9}");
foreach (var loop in loops)
    foreach (int threads in options.Threads)
    {
        double rate = PeakLoops.Measure(loop, threads, options.PeakDuration);
        peak[threads] = Math.Max(peak.GetValueOrDefault(threads), rate);
        Console.WriteLine($"{loop.Name,-38} {threads,7} {rate / 1e9,9:F1}");
    }
var bestLoop = loops.MaxBy(l => PeakLoops.Measure(l, 1, TimeSpan.FromMilliseconds(100)))!;
Console.WriteLine($"peak = best loop ({bestLoop.Name}), re-measured beside each row");
Console.WriteLine();

var rows = new List<(WorkProfile Profile, Int8GemmKernel Kernel, int Threads, int Batch, double NoncesPerSecond)>();
Console.WriteLine($"{"profile",-9} {"kernel",-12} {"threads",7} {"batch",5} {"nonces/s",10} {"G MAC/s",8} {"vs scalar",9}");
foreach (var profile in options.Profiles)
{
    var weights = WorkWeights.For(profile, seed);
    double scalarRate = 0;
    foreach (var kernel in options.Kernels)
        foreach (int threads in kernel == Int8GemmKernel.Scalar ? [1] : options.Threads)
        {
            int batch = options.Batch ?? DefaultBatch(profile, kernel);
            var miner = new WorkMiner(weights, new WorkMinerOptions { Threads = threads, BatchSize = batch, Kernel = kernel });
            RunBatches(miner, challenge, threads, batch);
            peak[threads] = Math.Max(peak[threads], PeakLoops.Measure(bestLoop, threads, options.PeakDuration / 2));
            // Best single round (one batch per thread), the analogue of the peak loop's best short window: on a shared
            // machine long windows always include time slices lost to other processes.
            double perSecond = 0;
            var budget = Stopwatch.StartNew();
            for (int round = 0; round < 3 || budget.Elapsed < options.ProfileDuration(profile, kernel); round++)
            {
                var sw = Stopwatch.StartNew();
                long nonces = RunBatches(miner, challenge, threads, batch);
                perSecond = Math.Max(perSecond, nonces / sw.Elapsed.TotalSeconds);
                if (kernel == Int8GemmKernel.Scalar) break;
            }
            peak[threads] = Math.Max(peak[threads], PeakLoops.Measure(bestLoop, threads, options.PeakDuration / 2));
            if (kernel == Int8GemmKernel.Scalar) scalarRate = perSecond;
            rows.Add((profile, kernel, threads, batch, perSecond));
            string vsScalar = scalarRate > 0 ? $"{perSecond / scalarRate,8:F1}x" : "";
            Console.WriteLine($"{profile.Name,-9} {kernel.Name,-12} {threads,7} {batch,5} {perSecond,10:F1} {perSecond * profile.MultiplyAccumulatesPerNonce / 1e9,8:F1} {vsScalar,9}");
        }
}

Console.WriteLine();
Console.WriteLine($"{"profile",-9} {"kernel",-12} {"threads",7} {"G MAC/s",8} {"peak",8} {"of peak",8}");
foreach (var (profile, kernel, threads, _, perSecond) in rows)
{
    double macs = perSecond * profile.MultiplyAccumulatesPerNonce;
    Console.WriteLine($"{profile.Name,-9} {kernel.Name,-12} {threads,7} {macs / 1e9,8:F1} {peak[threads] / 1e9,8:F1} {macs / peak[threads],8:P0}");
}

static int DefaultBatch(WorkProfile profile, Int8GemmKernel kernel) =>
    kernel == Int8GemmKernel.Scalar ? 1 : profile.Name switch { "devnet" => 48, "standard" => 6, _ => 6 };

static long RunBatches(WorkMiner miner, byte[] challenge, int threads, int batch) =>
    miner.Mine(challenge, new byte[32], 0, CancellationToken.None, maxNonces: (long)threads * batch).NoncesTried;
