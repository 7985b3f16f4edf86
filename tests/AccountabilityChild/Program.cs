// A validator in its own process (run with DOTNET_EnableHWIntrinsic=0 by tests/Accountability): reads a
// VerificationBatch as JSON, re-runs every case with SpanVerifier and prints "reason outputHashHex" per case.
using System.Text.Json;
using P2P.Accountability.Child;
using P2P.Accountability.Validation;
using P2P.Inference.Kernels;
using P2P.InferenceNetwork.Serving;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: P2P.Accountability.Child BATCH.json");
    return 2;
}
var batch = JsonSerializer.Deserialize<VerificationBatch>(File.ReadAllBytes(args[0]), new JsonSerializerOptions(JsonSerializerDefaults.Web))
    ?? throw new InvalidDataException("empty batch");
using var catalog = ModelCatalog.Load(new ServingOptions
{
    Models = [new ServedModelSpec(batch.ModelSpec, null)],
    Mode = ComputeMode.Deterministic,
    Threads = batch.Threads,
    ProbeTokens = 1,
});
using var shards = new ReexecutionShards(catalog, batch.Threads);
var verifier = new SpanVerifier(shards);
foreach (var item in batch.Cases)
{
    var outcome = verifier.Verify(item.Record, item.Claim);
    Console.WriteLine($"{(int)outcome.Reason} {Convert.ToHexStringLower(outcome.OutputHash)}");
}
return 0;
