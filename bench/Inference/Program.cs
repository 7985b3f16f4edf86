using System.Globalization;
using P2P.Bench.Inference;
using P2P.Inference.Kernels;
using P2P.Inference.Models;

// Inference benchmark: every figure is printed beside its baseline from the same run (OpenBLAS for GEMM,
// the machine's read bandwidth for decode, fast mode for deterministic mode, PyTorch CPU for the models).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int threads = ArgValue("--threads", 2);
bool quick = args.Contains("--quick");
bool decodeOnly = args.Contains("--decode-only"); // bandwidth, cold p2pd infer runs and context length only
bool skipTorch = args.Contains("--skip-torch") || decodeOnly;

Console.WriteLine($"P2P.Inference benchmark: {threads} threads, {Environment.ProcessorCount} cores visible, kernels {CpuBackend.KernelPath}, "
                  + $"OpenBLAS {(OpenBlas.IsAvailable ? $"{OpenBlas.LibraryName} ({OpenBlas.CoreName} kernels)" : "absent")}{(quick ? ", quick run" : "")}");
Console.WriteLine($"load average at start: {LoadAverage()}");
Console.WriteLine();

if (args.Contains("--profile-context"))
{
    ContextProfile.Run(threads, args.Contains("--deterministic") ? ComputeMode.Deterministic : ComputeMode.Fast);
    return;
}
if (args.Contains("--context-only"))
{
    ContextLengths();
    return;
}

double blasRate = 0;
if (!decodeOnly)
{
    Console.WriteLine("GEMM y[M×N] = x[M×K]·Wᵀ, GFLOP/s (best of runs)");
    Console.WriteLine($"{"M×N×K",-20}{"deterministic",14}{"fast mode",12}{"OpenBLAS",12}{"det/BLAS",10}{"fast/BLAS",10}");
    foreach (var (m, n, k) in new[] { (1024, 1024, 1024), (1024, 4096, 1024), (256, 1536, 288) })
    {
        var g = GemmBenchmark.Run(m, n, k, threads, quick ? 2 : 4);
        if (k >= 1024) blasRate = Math.Max(blasRate, g.OpenBlasDirect); // the targets' reference: the two large shapes
        Console.WriteLine($"{$"{m}×{n}×{k}",-20}{g.Deterministic,14:F1}{g.Fast,12:F1}{g.OpenBlasDirect,12:F1}{g.Deterministic / g.OpenBlasDirect,10:P0}{g.Fast / g.OpenBlasDirect,10:P0}");
    }
    Console.WriteLine();
}

if (args.Contains("--gemv-experiment"))
{
    for (int i = 0; i < 3; i++)
        Console.WriteLine($"gemv 1 row {GemvBenchmark.GigabytesPerSecond(threads):F1}  head 32000×288 {GemvBenchmark.GigabytesPerSecond(threads, matrices: 11, outputs: 32000, inputs: 288):F1}  "
                          + $"8 rows wide {GemvBenchmark.GigabytesPerSecond(threads, rows: 8):F1}  8 rows avx2 {GemvBenchmark.GigabytesPerSecond(threads, rows: 8, wide: false):F1} GB/s  "
                          + $"(plain read {BandwidthBenchmark.Robust(threads, reads: 3).Median:F1} GB/s)");
    return;
}
if (args.Contains("--gemm-only")) return;
if (args.Contains("--split-experiment"))
{
    SplitExperiment.Run(threads);
    return;
}
if (args.Contains("--profile-prefill"))
{
    PrefillProfile.Run(SeededModelSpec.Parse($"seed:preset={ArgText("--preset", "llama110m")},seed=1"), threads, quick ? 64 : 256, args.Contains("--blas-threads"),
        args.Contains("--deterministic") ? ComputeMode.Deterministic : ComputeMode.Fast);
    return;
}

var (bandwidth, slowestRead, fastestRead) = BandwidthBenchmark.Robust(threads, reads: quick ? 5 : 9);
double gemv = GemvBenchmark.GigabytesPerSecond(threads);
double gemv8 = GemvBenchmark.GigabytesPerSecond(threads, rows: 8);
Console.WriteLine($"read bandwidth ({threads} threads): {bandwidth:F1} GB/s = median of {(quick ? 5 : 9)} plain reads of 1 GiB (slowest {slowestRead:F1}, fastest {fastestRead:F1} GB/s); "
                  + $"our GEMV streams 400 MB of weights at {gemv:F1} GB/s ({gemv / bandwidth:P0} of it)");
Console.WriteLine($"GEMV with 8 rows per pass over the weights (batch-8 decode): {gemv8:F1} GB/s ({gemv8 / bandwidth:P0} of read bandwidth)");
Console.WriteLine();

string? daemonDll = args.Contains("--skip-cold") ? null : ColdStartBenchmark.DaemonDll();
Console.WriteLine(daemonDll is null ? "cold p2pd infer runs: skipped (--skip-cold, or src/Daemon not built in Release)" : $"cold runs: {daemonDll}");
string? baselineDll = ArgText("--baseline-dll", "") is { Length: > 0 } path ? Path.GetFullPath(path) : null;
ColdStartBenchmark.Variant[] coldVariants =
[
    new("p2pd infer, as shipped", new Dictionary<string, string>()),
    .. baselineDll is null ? Array.Empty<ColdStartBenchmark.Variant>() : [new("  baseline build (--baseline-dll)", new Dictionary<string, string>(), DaemonDll: baselineDll)],
    new("  QuickJitForLoops on", new Dictionary<string, string> { ["DOTNET_TC_QuickJitForLoops"] = "1" }),
    new("  runtime defaults (+ TieredPGO)", new Dictionary<string, string> { ["DOTNET_TC_QuickJitForLoops"] = "1", ["DOTNET_TieredPGO"] = "1" }),
    new("  TieredCompilation off", new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" }),
    new("p2pd infer --deterministic", new Dictionary<string, string>(), Deterministic: true),
    new("  with top-5 log-probs per token", new Dictionary<string, string>(), LogProbs: 5),
];
if (baselineDll is not null) Console.WriteLine($"baseline build for the cold runs: {baselineDll}");
Console.WriteLine();

string? torchUnavailable = skipTorch ? "skipped: --skip-torch" : TorchBaseline.UnavailableReason();
foreach (var (name, specText, coldTokens) in new[]
         {
             ("stories15M shape", "seed:preset=stories15m,seed=1", 256),
             ("~110M shape", "seed:preset=llama110m,seed=1", 128),
         })
{
    var spec = SeededModelSpec.Parse(specText);
    int prompt = quick ? 64 : 256, decode = quick ? 16 : 48, batch = 8;
    using var weights = TransformerWeights.Load(spec.Config, ShardRange.Full(spec.Config), new SeededTensorSource(spec.Seed));
    long bytesPerToken = weights.DecodeBytesPerToken;
    double bound = bandwidth * 1e9 / bytesPerToken;
    Console.WriteLine($"{name}: dim {spec.Config.HiddenSize}, {spec.Config.NumLayers} layers, {spec.Config.NumHeads} heads, FFN {spec.Config.IntermediateSize}, "
                      + $"vocab {spec.Config.VocabSize}, {spec.Config.ParameterCount / 1e6:F1}M parameters (f32)");
    Console.WriteLine($"  decode reads {bytesPerToken / 1e6:F1} MB of weights per token → bandwidth bound {bound:F1} tokens/s (batch 1)"
                      + (bytesPerToken < 128e6 ? "; weights this small can stay in a large L3, so decode may beat the DRAM bound" : ""));
    ModelBenchmark.Result? fast = null;
    if (!decodeOnly)
    {
        using var referenceOperands = new GemmOperands(1024, 4096, 1024);
        (fast, var det, var blasBeside) = ModelBenchmark.Run(weights, threads, prompt, decode, batch, rounds: quick ? 1 : 3,
            () => GemmBenchmark.OpenBlasRate(referenceOperands, threads));
        double flopsPerToken = 2.0 * (spec.Config.ParameterCount - (long)spec.Config.VocabSize * spec.Config.HiddenSize);
        Console.WriteLine($"  {"",-22}{"prefill tok/s",15}{"decode tok/s",14}{$"batch-{batch} tok/s",16}");
        Console.WriteLine($"  {"fast",-22}{fast.PrefillTokensPerSecond,15:F1}{fast.DecodeTokensPerSecond,14:F1}{fast.BatchDecodeTokensPerSecond,16:F1}");
        Console.WriteLine($"  {"deterministic",-22}{det.PrefillTokensPerSecond,15:F1}{det.DecodeTokensPerSecond,14:F1}{det.BatchDecodeTokensPerSecond,16:F1}");
        Console.WriteLine($"  {"deterministic / fast",-22}{det.PrefillTokensPerSecond / fast.PrefillTokensPerSecond,15:P0}{det.DecodeTokensPerSecond / fast.DecodeTokensPerSecond,14:P0}{det.BatchDecodeTokensPerSecond / fast.BatchDecodeTokensPerSecond,16:P0}");
        Console.WriteLine($"  fast decode / bandwidth bound: {fast.DecodeTokensPerSecond / bound:P0};  deterministic: {det.DecodeTokensPerSecond / bound:P0}");
        double prefillFlops = fast.PrefillTokensPerSecond * flopsPerToken / 1e9;
        Console.WriteLine($"  fast prefill ≈ {prefillFlops:F1} GFLOP/s (weights only) = {prefillFlops / blasRate:P0} of OpenBLAS's best GEMM rate above, "
                          + $"{prefillFlops / blasBeside:P0} of its 1024×4096×1024 rate measured between these rounds ({blasBeside:F1} GFLOP/s)");
    }
    if (daemonDll is not null)
    {
        int coldRuns = quick ? 1 : 5;
        Console.WriteLine($"  cold: a fresh `p2pd infer --model {specText} --max-tokens {coldTokens} --threads {threads} --json --logprobs 0` per run (the plain command's work: "
                          + $"no log-probs unless the row says so), median of {coldRuns} (variants alternate; "
                          + "\"of bound\" against the read bandwidth measured again just before each run; \"runs\" is every run's % of bound:decode tok/s@GB/s read before it, in order)");
        Console.WriteLine($"  {"",-36}{"decode tok/s",13}{"of bound",10}{"first token s",15}{"process s",11}{"jitted while generating",25}   runs");
        using var meter = new BandwidthBenchmark.Meter(threads);
        var coldResults = ColdStartBenchmark.Run(daemonDll, specText, coldTokens, threads, coldVariants, coldRuns, meter, bytesPerToken);
        foreach (var r in coldResults)
            Console.WriteLine($"  {r.Variant.Name,-36}{r.DecodeTokensPerSecond,13:F1}{r.OfBound,10:P0}{r.FirstTokenSeconds,15:F2}{r.WallSeconds,11:F2}"
                              + $"{(double.IsNaN(r.JitMethods) ? "n/a" : r.JitMethods.ToString("F0", CultureInfo.InvariantCulture)),25}"
                              + $"   {string.Join(" ", r.Runs.Select(run => FormattableString.Invariant($"{run.OfBound * 100:F0}:{run.DecodeTokensPerSecond:F0}@{run.Bandwidth:F1}")))}");
        var readings = coldResults.SelectMany(r => r.Runs).Select(run => run.Bandwidth).Order().ToArray();
        Console.WriteLine($"  read bandwidth before the runs: {readings[0]:F1}–{readings[^1]:F1} GB/s (median {readings[readings.Length / 2]:F1}); "
                          + "the machine's bandwidth moves between runs, and each run is held to its own reading");
    }
    TorchBaseline.Result? torch = null;
    if (torchUnavailable is null)
    {
        try
        {
            torch = TorchBaseline.Run(spec, threads, prompt, decode, batch);
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"  PyTorch baseline failed: {e.Message.Split('\n').LastOrDefault(l => l.Length > 0)}");
        }
    }
    if (torch is not null && fast is not null)
    {
        Console.WriteLine($"  {$"PyTorch {torch.Version}",-22}{torch.Prefill,15:F1}{torch.Decode,14:F1}{torch.BatchDecode,16:F1}");
        Console.WriteLine($"  {"fast / PyTorch",-22}{fast.PrefillTokensPerSecond / torch.Prefill,15:P0}{fast.DecodeTokensPerSecond / torch.Decode,14:P0}{fast.BatchDecodeTokensPerSecond / torch.BatchDecode,16:P0}");
    }
    else if (torchUnavailable is not null)
    {
        Console.WriteLine($"  PyTorch baseline {torchUnavailable}");
    }
    Console.WriteLine();
}
ContextLengths();
Console.WriteLine($"load average at end: {LoadAverage()} (figures are noisy when other work shares the cores)");

int ArgValue(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
}

string ArgText(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

void ContextLengths()
{
    // Long contexts: the KV cache read grows with the position; decode there should stay near the short-context rate.
    int steps = quick ? 64 : 256, from = 1024 - steps;
    var spec = SeededModelSpec.Parse("seed:preset=stories15m,seed=1,max_seq=1024");
    using var weights = TransformerWeights.Load(spec.Config, ShardRange.Full(spec.Config), new SeededTensorSource(spec.Seed));
    int contextRounds = quick ? 1 : 3;
    Console.WriteLine($"context length, stories15M shape (max_seq 1024): single-sequence decode at positions 1–{steps} vs {from}–{from + steps}, "
                      + $"{contextRounds} rounds after a warm-up; the short and long sequences of every variant alternate every 16 tokens");
    Console.WriteLine($"  {"",-30}{"short tok/s",12}{"long tok/s",12}{"long/short",12}");
    ContextBenchmark.Variant[] variants =
    [
        new("fast (Float16 KV, default)", new CpuBackend(ComputeMode.Fast, threads)),
        new("fast, Float32 KV", new CpuBackend(ComputeMode.Fast, threads, KvFormat.Float32)),
        new("deterministic (Float32 KV)", new CpuBackend(ComputeMode.Deterministic, threads)),
    ];
    foreach (var r in ContextBenchmark.Run(weights, variants, from, steps, contextRounds))
        Console.WriteLine($"  {r.Name,-30}{r.Short,12:F1}{r.Long,12:F1}{r.Long / r.Short,12:P0}");
    Console.WriteLine();
}
