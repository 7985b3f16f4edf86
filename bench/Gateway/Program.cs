using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Testing;

// End-to-end tokens/s and time to first token through the gateway (1 and 8 concurrent streaming clients) on a
// whole-model route and a 2-span route, beside the engine run locally on the same model in the same run.
// Usage: dotnet run --project bench/Gateway -c Release -- [model folder or seed spec] [max tokens]
var model = args.Length > 0 ? args[0] : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/models/stories260k"));
int maxTokens = args.Length > 1 ? int.Parse(args[1]) : 64;
int[] prompt = [1, 461, 401];
var root = Path.Combine(Path.GetTempPath(), "p2pd-bench-gateway-" + Guid.NewGuid().ToString("N"));

// The engine alone, deterministic mode, one thread: the baseline every gateway row is divided by.
(double Rate, double Ttft, double PerToken) engine;
using (var shard = new TransformerShard(ModelLoader.Load(model), new CpuBackend(ComputeMode.Deterministic, 1)))
{
    var generator = new Generator(shard);
    generator.Generate(new GenerationRequest { Prompt = prompt, MaxTokens = 4 });
    var clock = Stopwatch.StartNew();
    var result = generator.Generate(new GenerationRequest { Prompt = prompt, MaxTokens = maxTokens, Sampling = new SamplingOptions { Temperature = 0.8f, Seed = 1 } });
    engine = (result.Tokens.Count / clock.Elapsed.TotalSeconds, result.PrefillTime.TotalMilliseconds, clock.Elapsed.TotalMilliseconds / result.Tokens.Count);
    Report("engine, local", 1, engine);
}

string[] Serve(string layers) => ["--Inference:AdvertIntervalSeconds=1", "--Inference:Enabled=true", $"--Inference:Models:0:Model={model}", $"--Inference:Models:0:Layers={layers}", "--Inference:Threads=1", "--Inference:MaxConcurrentSessions=16"];
await using (var gateway = await LoopbackDaemon.StartAsync(Path.Combine(root, "a"), null, "--Inference:AdvertIntervalSeconds=1"))
{
    var boot = await gateway.AddressAsync();
    foreach (var (name, nodes) in new[] { ("whole model", new[] { "all" }), ("2 spans", new[] { "[0,2)", "[2,5)" }) })
    {
        var servers = new List<LoopbackDaemon>();
        foreach (var layers in nodes) servers.Add(await LoopbackDaemon.StartAsync(Path.Combine(root, name.Replace(' ', '-') + layers.Trim('[', ')').Replace(',', '-')), boot, Serve(layers)));
        if (!await Wait.UntilAsync(async () => (await gateway.GetAsync("api/v1/inference/directory")).GetProperty("adverts").GetArrayLength() == nodes.Length, TimeSpan.FromSeconds(60)))
            throw new TimeoutException("adverts did not arrive");
        await RunAsync(gateway, 1, 1);
        foreach (var clients in new[] { 1, 8 })
        {
            Report($"gateway, {name}", clients, await RunAsync(gateway, clients, maxTokens));
        }
        foreach (var server in servers) await server.DisposeAsync();
        await Task.Delay(3500); // let the departed servers' adverts expire (three 1 s intervals)
    }
}
Directory.Delete(root, recursive: true);
Console.WriteLine("tokens/s: all clients together; TTFT: mean time to the first streamed token; ms/token: wall time per token per client;");
Console.WriteLine("×engine: the row's value divided by the local engine's (same model, same run); overhead: the row's ms/token minus the engine's");
Console.WriteLine("(with 8 clients it includes queueing on the single-threaded executors).");

async Task<(double Rate, double Ttft, double PerToken)> RunAsync(LoopbackDaemon gateway, int clients, int tokens)
{
    var clock = Stopwatch.StartNew();
    var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
    {
        var body = JsonSerializer.Serialize(new { model = P2P.InferenceNetwork.Serving.ModelNames.ShortName(model), prompt, max_tokens = tokens, temperature = 0.8, seed = i + 1, stream = true });
        var start = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double? first = null;
        int count = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal)) continue;
            first ??= start.Elapsed.TotalMilliseconds;
            count++;
        }
        return (Ttft: first ?? 0, Tokens: count, Ms: start.Elapsed.TotalMilliseconds);
    }));
    int total = results.Sum(r => r.Tokens);
    return (total / clock.Elapsed.TotalSeconds, results.Average(r => r.Ttft), results.Average(r => r.Ms / Math.Max(1, r.Tokens)));
}

void Report(string what, int clients, (double Rate, double Ttft, double PerToken) row)
{
    var line = FormattableString.Invariant($"{what,-24} clients {clients}: {row.Rate,8:F1} tokens/s  TTFT {row.Ttft,7:F1} ms  {row.PerToken,6:F2} ms/token");
    if (what.StartsWith("gateway", StringComparison.Ordinal))
        line += FormattableString.Invariant($"  TTFT ×{row.Ttft / engine.Ttft,5:F1} engine  ms/token ×{row.PerToken / engine.PerToken,5:F2} engine  overhead {row.PerToken - engine.PerToken,6:F2} ms/token");
    Console.WriteLine(line);
}
