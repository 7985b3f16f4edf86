using System.Text.Json;
using P2P.Accountability.Child;
using P2P.Accountability.Validation;
using P2P.Consensus.Blocks;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Serving;
using P2P.Networking.Identity;
using P2P.Testing;

namespace P2P.Accountability.Tests;

/// <summary>
/// Acceptance 4 at library level: many honest sessions — mixed prompts, seeds, temperatures, top-k/top-p, lengths,
/// whole-model generations and span sessions in varied chunkings, concurrent sessions, executors on 1 and 2 threads —
/// are all judged "reproduced" by a validator on the other thread count, and a validator in a child process with
/// <c>DOTNET_EnableHWIntrinsic=0</c> gives the same verdicts and output hashes. A CI-sized run always; 1000 receipts
/// with <c>P2P_SLOW_TESTS=1</c>.
/// </summary>
public sealed class NoFalseRejectionTests
{
    private const string Tiny = "seed:preset=tiny,seed=3";
    private static readonly PeerId Gateway = Ed25519PrivateKey.Generate(new Random(2)).PeerId;

    public static bool Slow => Environment.GetEnvironmentVariable("P2P_SLOW_TESTS") == "1";

    [Fact]
    public Task HonestRun_CiSized_HasNoInvalidVerdict_InProcessOrWithoutHardwareIntrinsics() => RunAsync(Slow ? 1000 : 60, seed: 11);

    private static async Task RunAsync(int receipts, int seed)
    {
        var random = new Random(seed);
        var cases = new List<VerificationCase>();
        foreach (int threads in new[] { 1, 2 })
        {
            using var catalog = ModelCatalog.Load(new ServingOptions
            {
                Models = [new ServedModelSpec(Tiny, null), new ServedModelSpec(Tiny, new ShardRange(0, 1)), new ServedModelSpec(Tiny, new ShardRange(1, 2))],
                Mode = ComputeMode.Deterministic,
                Threads = threads,
                MaxConcurrentSessions = 8,
                ProbeTokens = 1,
            });
            var issuer = new RecordingIssuer();
            var records = new SpanRecordStore(10_000, 1L << 30);
            using var executor = new InferExecutor(catalog, accounting: new ExecutorAccounting { Issuer = issuer, Records = records });
            var id = catalog.Models[0].ModelId;
            int config = catalog.Models[0].Config.VocabSize;
            while (issuer.Issued.Count < receipts / 2)
            {
                // Four sessions at once: the executor's sessions interleave on the shard as a loaded node's do.
                var batch = Enumerable.Range(0, 4).Select(_ => random.Next(3) == 0 ? SpanSessionAsync(executor, id, random.Next(), config) : GenerateAsync(executor, id, random.Next(), config)).ToList();
                await Task.WhenAll(batch);
            }
            cases.AddRange(issuer.Issued.Select(pair => new VerificationCase(records.Find(Convert.FromHexString(pair.Key))!, pair.Value)));
        }

        var inProcess = new List<VerificationOutcome>();
        foreach (int threads in new[] { 2, 1 })
        {
            using var validatorModels = ModelCatalog.Load(new ServingOptions { Models = [new ServedModelSpec(Tiny, null)], Mode = ComputeMode.Deterministic, Threads = threads, ProbeTokens = 1 });
            using var shards = new ReexecutionShards(validatorModels, threads);
            var verifier = new SpanVerifier(shards);
            var half = threads == 2 ? cases[..(cases.Count / 2)] : cases[(cases.Count / 2)..];
            inProcess.AddRange(half.Select(c => verifier.Verify(c.Record, c.Claim)));
        }
        Assert.All(inProcess, o => Assert.Equal(VerdictReason.Reproduced, o.Reason));
        Assert.True(inProcess.Count >= receipts, $"{inProcess.Count} receipts");

        using var temp = new TempDirectory();
        var file = temp.Sub("batch.json");
        await File.WriteAllBytesAsync(file, JsonSerializer.SerializeToUtf8Bytes(new VerificationBatch(Tiny, 1, cases), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var child = Path.Combine(AppContext.BaseDirectory, "P2P.Accountability.Child.dll");
        var (exitCode, output, error) = ChildProcess.Run("dotnet", [child, file], new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" }, timeoutSeconds: 600);
        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(inProcess.Select(o => $"{(int)o.Reason} {Convert.ToHexStringLower(o.OutputHash)}"), lines);
    }

    private static async Task GenerateAsync(InferExecutor executor, string modelId, int seed, int vocab)
    {
        var random = new Random(seed);
        float[] temperatures = [0f, 0.5f, 0.8f, 1.2f];
        var request = new InferRequest
        {
            ModelId = modelId,
            End = 2,
            Tokens = [.. Enumerable.Range(0, 1 + random.Next(24)).Select(_ => random.Next(vocab))],
            MaxTokens = 1 + random.Next(24),
            Temperature = temperatures[random.Next(temperatures.Length)],
            TopK = new[] { 0, 5, 40 }[random.Next(3)],
            TopP = random.Next(2) == 0 ? 1f : 0.9f,
            Seed = (ulong)random.NextInt64(),
            StopTokens = random.Next(2) == 0 ? [] : [random.Next(vocab)],
            TaskId = $"gen-{seed}",
        };
        await foreach (var response in executor.HandleAsync(Gateway, request, CancellationToken.None))
            Assert.NotEqual(InferKinds.Error, response.Kind);
    }

    private static async Task SpanSessionAsync(InferExecutor executor, string modelId, int seed, int vocab)
    {
        var random = new Random(seed);
        var session = $"s{seed}";
        int position = 0;
        for (int step = 0, steps = 1 + random.Next(4); step < steps; step++)
        {
            int[] tokens = [.. Enumerable.Range(0, 1 + random.Next(step == 0 ? 12 : 3)).Select(_ => random.Next(vocab))];
            var first = await SingleAsync(executor, new InferRequest { Kind = InferKinds.Step, ModelId = modelId, Start = 0, End = 1, SessionId = session, Position = position, Tokens = tokens });
            Assert.Equal(InferKinds.Hidden, first.Kind);
            var last = await SingleAsync(executor, new InferRequest { Kind = InferKinds.Step, ModelId = modelId, Start = 1, End = 2, SessionId = session, Position = position, Hidden = first.Data });
            Assert.Equal(InferKinds.Logits, last.Kind);
            position += tokens.Length;
        }
        foreach (int start in new[] { 0, 1 })
            Assert.NotNull((await SingleAsync(executor, new InferRequest { Kind = InferKinds.Close, ModelId = modelId, Start = start, End = start + 1, SessionId = session })).Receipt);
    }

    private static async Task<InferResponse> SingleAsync(InferExecutor executor, InferRequest request)
    {
        await foreach (var response in executor.HandleAsync(Gateway, request, CancellationToken.None)) return response;
        throw new InvalidOperationException("no answer");
    }
}
