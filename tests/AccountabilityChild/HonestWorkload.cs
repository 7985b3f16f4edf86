using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Serving;
using P2P.Networking.Identity;

namespace P2P.Accountability.Child;

/// <summary>
/// Honest executor work for acceptance 4 of #15: mixed prompts, seeds, temperatures, top-k/top-p, lengths, whole-model
/// generations and span sessions in varied chunkings, four sessions at once, on one executor with a given thread count.
/// Runs in the test process or in a child process (<c>execute</c>), so executors and validator can be different processes.
/// </summary>
public static class HonestWorkload
{
    private static readonly PeerId Gateway = Ed25519PrivateKey.Generate(new Random(2)).PeerId;

    /// <summary>Executes until at least <paramref name="receipts"/> receipts are issued; each comes back with the executor's record of it.</summary>
    public static async Task<List<VerificationCase>> RunAsync(string modelSpec, int threads, int receipts, Random random)
    {
        using var catalog = ModelCatalog.Load(new ServingOptions
        {
            Models = [new ServedModelSpec(modelSpec, null), new ServedModelSpec(modelSpec, new ShardRange(0, 1)), new ServedModelSpec(modelSpec, new ShardRange(1, 2))],
            Mode = ComputeMode.Deterministic,
            Threads = threads,
            MaxConcurrentSessions = 8,
            ProbeTokens = 1,
        });
        var issuer = new RecordingIssuer();
        var records = new SpanRecordStore(10_000, 1L << 30);
        using var executor = new InferExecutor(catalog, accounting: new ExecutorAccounting { Issuer = issuer, Records = records });
        var id = catalog.Models[0].ModelId;
        int vocab = catalog.Models[0].Config.VocabSize;
        while (issuer.Issued.Count < receipts)
        {
            // Four sessions at once: the executor's sessions interleave on the shard as a loaded node's do.
            var batch = Enumerable.Range(0, 4).Select(_ => random.Next(3) == 0 ? SpanSessionAsync(executor, id, random.Next(), vocab) : GenerateAsync(executor, id, random.Next(), vocab)).ToList();
            await Task.WhenAll(batch);
        }
        return [.. issuer.Issued.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => new VerificationCase(records.Find(Convert.FromHexString(pair.Key))!, pair.Value))];
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
            Expect(response.Kind != InferKinds.Error, $"generation {seed} failed: {response.Code} {response.Message}");
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
            Expect(first.Kind == InferKinds.Hidden, $"span session {seed}, step {step}: {first.Kind} {first.Code} {first.Message} instead of hidden states");
            var last = await SingleAsync(executor, new InferRequest { Kind = InferKinds.Step, ModelId = modelId, Start = 1, End = 2, SessionId = session, Position = position, Hidden = first.Data });
            Expect(last.Kind == InferKinds.Logits, $"span session {seed}, step {step}: {last.Kind} {last.Code} {last.Message} instead of logits");
            position += tokens.Length;
        }
        foreach (int start in new[] { 0, 1 })
            Expect((await SingleAsync(executor, new InferRequest { Kind = InferKinds.Close, ModelId = modelId, Start = start, End = start + 1, SessionId = session })).Receipt is not null, $"span session {seed}: no receipt");
    }

    private static async Task<InferResponse> SingleAsync(InferExecutor executor, InferRequest request)
    {
        await foreach (var response in executor.HandleAsync(Gateway, request, CancellationToken.None)) return response;
        throw new InvalidOperationException("no answer");
    }

    private static void Expect(bool condition, string failure)
    {
        if (!condition) throw new InvalidOperationException(failure);
    }
}
