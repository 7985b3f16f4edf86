// Acceptance 4 of #15 across processes (driven by tests/Accountability):
//   validate BATCH.json — a validator in its own process (run with DOTNET_EnableHWIntrinsic=0): re-runs every case of a
//                         VerificationBatch with SpanVerifier and prints "reason outputHashHex" per case;
//   execute MODEL THREADS RECEIPTS SEED OUT.json — an honest executor in its own process: runs HonestWorkload and writes
//                         its receipts' claims and records as a VerificationBatch for the test's validator.
using System.Text.Json;
using P2P.Accountability.Child;
using P2P.Accountability.Validation;
using P2P.Inference.Kernels;
using P2P.InferenceNetwork.Serving;

var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
if (args is ["execute", var model, var threadText, var receiptText, var seedText, var output])
{
    int threads = int.Parse(threadText, System.Globalization.CultureInfo.InvariantCulture);
    var cases = await HonestWorkload.RunAsync(model, threads, int.Parse(receiptText, System.Globalization.CultureInfo.InvariantCulture),
        new Random(int.Parse(seedText, System.Globalization.CultureInfo.InvariantCulture)));
    await File.WriteAllBytesAsync(output, JsonSerializer.SerializeToUtf8Bytes(new VerificationBatch(model, threads, cases), json));
    return 0;
}
if (args is not ["validate", var batchFile])
{
    Console.Error.WriteLine("usage: P2P.Accountability.Child validate BATCH.json | execute MODEL THREADS RECEIPTS SEED OUT.json");
    return 2;
}
var batch = JsonSerializer.Deserialize<VerificationBatch>(File.ReadAllBytes(batchFile), json) ?? throw new InvalidDataException("empty batch");
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
