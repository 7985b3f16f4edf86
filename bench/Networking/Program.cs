using P2P.Bench.Networking;

// Single-stream throughput over Noise + yamux on 127.0.0.1, against two baselines measured in the same run:
// js-libp2p → js-libp2p over the same stack, and the machine's single-core ChaCha20-Poly1305 rate.
var megabytes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 256;
// "csharp" as second argument: only the C# → C# runs (for profiling).
var csharpOnly = args.Length > 1 && args[1] == "csharp";
Throughput.Verbose = csharpOnly;
using var sampler = csharpOnly ? new AllocationSampler() : null;
var size = (long)megabytes << 20;

Console.WriteLine($"payload {megabytes} MiB on one stream, Noise + yamux over 127.0.0.1, {Environment.ProcessorCount} cores, best of 3 runs, load average {LoadAverage()}");
// The machine is shared (2 cores, other builds running): every figure is the best of a few runs.
const int runs = 3;
var cipher = Best(runs, () => Task.FromResult(CipherRate.Measure(TimeSpan.FromSeconds(1)))).Result;
Console.WriteLine($"ChaCha20-Poly1305 (BCL, 64 KiB chunks, one core): {cipher:F0} MiB/s");
var cipherPair = Best(runs, () => Task.FromResult(CipherRate.MeasureParallel(TimeSpan.FromSeconds(1), 2))).Result;
// Sender and receiver each run one cipher pass per byte: with both cores busy the best possible is half the aggregate.
var ceiling = cipherPair / 2;
Console.WriteLine($"ChaCha20-Poly1305 on two threads at once: {cipherPair:F0} MiB/s in all ({cipherPair / cipher:F2}× one core) → ceiling for encrypt + decrypt of every byte: {ceiling:F0} MiB/s ({ceiling / cipher:P0} of one core)");

var cpuSeconds = double.MaxValue;
var csharp = await Best(runs, async () =>
{
    var rate = await Throughput.CsharpToCsharpAsync(size);
    cpuSeconds = Math.Min(cpuSeconds, Throughput.LastCpuSeconds);
    return rate;
});
Console.WriteLine($"C# → C#:   {csharp:F0} MiB/s");
sampler?.Print();
// Load-independent view: CPU spent per byte against the bare cipher work (one encryption + one decryption).
var cipherSeconds = 2.0 * megabytes / cipher;
Console.WriteLine($"C# → C# CPU: {cpuSeconds:F2} s for {megabytes} MiB, {cipherSeconds / cpuSeconds:P0} of it is the cipher's own work");

double? js = null;
if (!csharpOnly && JsPeerDirectory() is not null)
{
    var jsCpuSeconds = double.MaxValue;
    js = await Best(runs, async () =>
    {
        var rate = await Throughput.JsToJsAsync(size);
        jsCpuSeconds = Math.Min(jsCpuSeconds, Throughput.LastJsCpuSeconds);
        return rate;
    });
    Console.WriteLine($"js → js:   {js:F0} MiB/s");
    Console.WriteLine($"js → js CPU: {jsCpuSeconds:F2} s for {megabytes} MiB; C# needs {cpuSeconds / jsCpuSeconds:P0} of that ({jsCpuSeconds / cpuSeconds:F1}× less CPU per byte)");
    Console.WriteLine($"C# → js:   {await Throughput.CsharpToJsAsync(size):F0} MiB/s (for reference)");
}
else
{
    Console.WriteLine("js → js:   skipped (run tests/Interop/js/setup.sh)");
}

Console.WriteLine();
Console.WriteLine($"ratio C#/cipher: {csharp / cipher:P0} of the single-core cipher rate (target ≥ 50%)");
Console.WriteLine($"ratio C#/ceiling: {csharp / ceiling:P0} of the two-thread encrypt + decrypt ceiling measured above");
Console.WriteLine($"load average at the end: {LoadAverage()}");
if (js is { } jsRate)
{
    Console.WriteLine($"ratio C#/js:     {csharp / jsRate:F1}× js-libp2p (target ≥ 5×)");
}

static async Task<double> Best(int runs, Func<Task<double>> measure)
{
    var best = 0.0;
    for (var i = 0; i < runs; i++)
    {
        best = Math.Max(best, await measure());
    }
    return best;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string? JsPeerDirectory() => P2P.Interop.JsPeer.FindJsDirectory();
