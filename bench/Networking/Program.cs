using P2P.Bench.Networking;

// Single-stream throughput over Noise + yamux on 127.0.0.1, against two baselines measured in the same run:
// js-libp2p → js-libp2p over the same stack, and the machine's single-core ChaCha20-Poly1305 rate.
var megabytes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 256;
var size = (long)megabytes << 20;

Console.WriteLine($"payload {megabytes} MiB on one stream, Noise + yamux over 127.0.0.1, {Environment.ProcessorCount} cores, best of 3 runs");
// The machine is shared (2 cores, other builds running): every figure is the best of a few runs.
const int runs = 3;
var cipher = Best(runs, () => Task.FromResult(CipherRate.Measure(TimeSpan.FromSeconds(1)))).Result;
Console.WriteLine($"ChaCha20-Poly1305 (BCL, 64 KiB chunks, one core): {cipher:F0} MiB/s");

var csharp = await Best(runs, () => Throughput.CsharpToCsharpAsync(size));
Console.WriteLine($"C# → C#:   {csharp:F0} MiB/s");

double? js = null;
if (JsPeerDirectory() is not null)
{
    js = await Best(runs, () => Throughput.JsToJsAsync(size));
    Console.WriteLine($"js → js:   {js:F0} MiB/s");
    Console.WriteLine($"C# → js:   {await Throughput.CsharpToJsAsync(size):F0} MiB/s (for reference)");
}
else
{
    Console.WriteLine("js → js:   skipped (run tests/Interop/js/setup.sh)");
}

Console.WriteLine();
Console.WriteLine($"ratio C#/cipher: {csharp / cipher:P0} of the single-core cipher rate (target ≥ 50%)");
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

static string? JsPeerDirectory() => P2P.Interop.JsPeer.FindJsDirectory();
