using System.Diagnostics;
using System.Globalization;
using P2P.Accountability.Child;
using P2P.Accountability.Validation;
using P2P.Consensus.Blocks;
using P2P.Consensus.Genesis;
using P2P.Inference.Kernels;
using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Serving;
using P2P.Networking.Identity;

// Validation overhead (issue #15, acceptance 6, network half): an executor serves generations in deterministic mode
// and keeps its records; a validator re-runs every receipt. Both on one thread, measured as process CPU time in the
// same run; the overhead at the genesis rate is the re-run's CPU per executor CPU times the drawn fraction.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string model = ArgText("--model") ?? DefaultModel();
int requests = int.Parse(ArgText("--requests") ?? "40", CultureInfo.InvariantCulture);
int maxTokens = int.Parse(ArgText("--tokens") ?? "48", CultureInfo.InvariantCulture);
var genesis = GenesisConfig.Devnet(0);

Console.WriteLine($"P2P.Accountability benchmark: model {model}, {requests} generations of up to {maxTokens} tokens, deterministic mode, 1 thread, "
                  + $"{Environment.ProcessorCount} cores visible, kernels {CpuBackend.KernelPath}");
using var catalog = ModelCatalog.Load(new ServingOptions { Models = [new ServedModelSpec(model, null)], Mode = ComputeMode.Deterministic, Threads = 1, ProbeTokens = 1 });
var issuer = new RecordingIssuer();
var records = new SpanRecordStore(100_000, 4L << 30);
using var executor = new InferExecutor(catalog, accounting: new ExecutorAccounting { Issuer = issuer, Records = records });
var gateway = Ed25519PrivateKey.Generate(new Random(1)).PeerId;
var modelId = catalog.Models[0].ModelId;
int vocab = catalog.Models[0].Config.VocabSize;
var random = new Random(5);
int tokens = 0;

var executorCpu = Cpu();
var wall = Stopwatch.StartNew();
for (int i = 0; i < requests; i++)
{
    var request = new InferRequest
    {
        ModelId = modelId,
        End = catalog.Models[0].Range.End,
        Tokens = [1, .. Enumerable.Range(0, 8).Select(_ => random.Next(2, vocab))],
        MaxTokens = maxTokens,
        Temperature = i % 2 == 0 ? 0f : 0.8f,
        Seed = (ulong)i,
    };
    await foreach (var response in executor.HandleAsync(gateway, request, CancellationToken.None))
        if (response.Kind == InferKinds.Token) tokens++;
}
executorCpu = Cpu() - executorCpu;
var executorWall = wall.Elapsed;

using var shards = new ReexecutionShards(catalog, 1);
var verifier = new SpanVerifier(shards);
var validatorCpu = Cpu();
wall.Restart();
int reproduced = 0;
foreach (var (id, claim) in issuer.Issued)
    if (verifier.Verify(records.Find(Convert.FromHexString(id))!, claim).Reason == VerdictReason.Reproduced) reproduced++;
validatorCpu = Cpu() - validatorCpu;
var validatorWall = wall.Elapsed;

double perReceipt = validatorCpu.TotalSeconds / Math.Max(1e-9, executorCpu.TotalSeconds);
double rate = genesis.ValidationRatePpm / 1e6;
Console.WriteLine($"executor:  {issuer.Issued.Count} receipts, {tokens} tokens, {executorCpu.TotalSeconds:F3} CPU s ({executorWall.TotalSeconds:F3} s wall)");
Console.WriteLine($"validator: {issuer.Issued.Count} re-runs, {reproduced} reproduced, {validatorCpu.TotalSeconds:F3} CPU s ({validatorWall.TotalSeconds:F3} s wall)");
Console.WriteLine($"validator CPU s per executor CPU s: {perReceipt:F3} when every receipt is validated (the devnet's first {genesis.FullValidationReceipts} receipts of each epoch)");
Console.WriteLine($"validator CPU s per executor CPU s: {perReceipt * rate:F4} at the genesis rate {genesis.ValidationRatePpm} ppm ({rate:P1}); "
                  + $"each receipt judged invalid adds {genesis.EscalationSize} escalation re-runs of the same cost");
return reproduced == issuer.Issued.Count ? 0 : 1;

static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

string? ArgText(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static string DefaultModel()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        var candidate = Path.Combine(directory.FullName, "shared", "models", "stories260k");
        if (File.Exists(Path.Combine(candidate, "model.safetensors"))) return candidate;
    }
    return "seed:preset=tiny,seed=3";
}
