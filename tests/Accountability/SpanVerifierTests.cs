using P2P.Accountability.Child;
using P2P.Accountability.Validation;
using P2P.Consensus.Blocks;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Serialization;
using P2P.InferenceNetwork.Cheats;
using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Serving;
using P2P.Networking.Identity;

namespace P2P.Accountability.Tests;

/// <summary>Executors on the seeded tiny model produce receipts; an honest one always verifies, every cheat is caught, tampered records count as missing.</summary>
public sealed class SpanVerifierTests
{
    private const string Tiny = "seed:preset=tiny,seed=3";
    private static readonly PeerId Gateway = Ed25519PrivateKey.Generate(new Random(1)).PeerId;

    private static ModelCatalog Load(int threads, params ServedModelSpec[] models) =>
        ModelCatalog.Load(new ServingOptions { Models = models, Mode = ComputeMode.Deterministic, Threads = threads, MaxConcurrentSessions = 4, ProbeTokens = 1 });

    private sealed class Node : IDisposable
    {
        public Node(ExecutorCheat cheat, int threads, params ServedModelSpec[] models)
        {
            Catalog = Load(threads, models);
            Records = new SpanRecordStore(1000, 64 << 20);
            Executor = new InferExecutor(Catalog, accounting: new ExecutorAccounting { Issuer = Issuer, Records = Records, Cheat = cheat });
        }

        public ModelCatalog Catalog { get; }
        public RecordingIssuer Issuer { get; } = new();
        public SpanRecordStore Records { get; }
        public InferExecutor Executor { get; }

        public void Dispose()
        {
            Executor.Dispose();
            Catalog.Dispose();
        }
    }

    private static async Task<List<InferResponse>> RunAsync(InferExecutor executor, InferRequest request)
    {
        var responses = new List<InferResponse>();
        await foreach (var r in executor.HandleAsync(Gateway, request, CancellationToken.None)) responses.Add(r);
        return responses;
    }

    private static InferRequest Generate(string modelId, int[] prompt, float temperature, ulong seed, int maxTokens = 12) => new()
    {
        ModelId = modelId,
        End = 2,
        Tokens = prompt,
        MaxTokens = maxTokens,
        Temperature = temperature,
        TopP = 0.9f,
        Seed = seed,
        TaskId = $"task-{seed}",
    };

    private static List<VerificationOutcome> VerifyAll(Node executor, ModelCatalog validatorModels)
    {
        using var shards = new ReexecutionShards(validatorModels);
        var verifier = new SpanVerifier(shards);
        return [.. executor.Issuer.Issued.Select(pair => verifier.Verify(executor.Records.Find(Convert.FromHexString(pair.Key))!, pair.Value))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task HonestGenerations_AlwaysReproduce(int threads)
    {
        using var node = new Node(ExecutorCheat.None, threads, new ServedModelSpec(Tiny, null));
        var id = node.Catalog.Models[0].ModelId;
        var random = new Random(7);
        for (int i = 0; i < 12; i++)
        {
            int[] prompt = [.. Enumerable.Range(0, 1 + random.Next(6)).Select(_ => random.Next(1, 200))];
            var responses = await RunAsync(node.Executor, Generate(id, prompt, i % 3 == 0 ? 0f : 0.3f * (i % 4), (ulong)i, 1 + random.Next(16)));
            Assert.NotNull(responses[^1].Receipt);
            Assert.All(responses.Take(responses.Count - 1), r => Assert.Null(r.Receipt));
        }
        using var validator = Load(3 - threads, new ServedModelSpec(Tiny, null));
        var outcomes = VerifyAll(node, validator);
        Assert.Equal(12, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(VerdictReason.Reproduced, o.Reason));
    }

    [Fact]
    public async Task HonestSpans_ReproduceOnAValidatorServingTheWholeModel()
    {
        using var node = new Node(ExecutorCheat.None, 1, new ServedModelSpec(Tiny, new ShardRange(0, 1)), new ServedModelSpec(Tiny, new ShardRange(1, 2)));
        await RunSpanSessionAsync(node);
        using var validator = Load(2, new ServedModelSpec(Tiny, null));
        var outcomes = VerifyAll(node, validator);
        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(VerdictReason.Reproduced, o.Reason));
    }

    [Theory]
    [InlineData(ExecutorCheat.PerturbLogits)]
    [InlineData(ExecutorCheat.SmallerModel)]
    [InlineData(ExecutorCheat.SkipLayers)]
    public async Task EachCheat_IsCaughtInEveryReceipt(ExecutorCheat cheat)
    {
        using (var whole = new Node(cheat, 1, new ServedModelSpec(Tiny, null)))
        {
            var id = whole.Catalog.Models[0].ModelId;
            for (int i = 0; i < 4; i++) await RunAsync(whole.Executor, Generate(id, [1, 20 + i, 30], i == 0 ? 0f : 0.8f, (ulong)i));
            using var validator = Load(1, new ServedModelSpec(Tiny, null));
            var outcomes = VerifyAll(whole, validator);
            Assert.Equal(4, outcomes.Count);
            Assert.All(outcomes, o => Assert.Contains(o.Reason, new[] { VerdictReason.OutputMismatch, VerdictReason.LogProbMismatch }));
        }
        using var spans = new Node(cheat, 1, new ServedModelSpec(Tiny, new ShardRange(0, 1)), new ServedModelSpec(Tiny, new ShardRange(1, 2)));
        await RunSpanSessionAsync(spans);
        using var spanValidator = Load(1, new ServedModelSpec(Tiny, null));
        var spanOutcomes = VerifyAll(spans, spanValidator);
        Assert.Equal(2, spanOutcomes.Count);
        Assert.All(spanOutcomes, o => Assert.NotEqual(VerdictReason.Reproduced, o.Reason));
    }

    [Fact]
    public async Task ATamperedRecord_CountsAsMissingData()
    {
        using var node = new Node(ExecutorCheat.None, 1, new ServedModelSpec(Tiny, null));
        var id = node.Catalog.Models[0].ModelId;
        await RunAsync(node.Executor, Generate(id, [1, 2, 3], 0f, 1));
        var (receiptId, claim) = node.Issuer.Issued.Single();
        var record = node.Records.Find(Convert.FromHexString(receiptId))!;
        using var shards = new ReexecutionShards(node.Catalog);
        var verifier = new SpanVerifier(shards);
        Assert.Equal(VerdictReason.Reproduced, verifier.Verify(record, claim).Reason);
        var otherPrompt = record with { Inputs = [new DataChunk(3, ReceiptHashing.TokenBytes([1, 2, 4]))] };
        Assert.Equal(VerdictReason.InputsUnavailable, verifier.Verify(otherPrompt, claim).Reason);
        var otherSampling = record with { Sampling = record.Sampling! with { Seed = 2 } };
        Assert.Equal(VerdictReason.InputsUnavailable, verifier.Verify(otherSampling, claim).Reason);
        var fewerOutputs = record with { Outputs = record.Outputs[..^1] };
        Assert.Equal(VerdictReason.InputsUnavailable, verifier.Verify(fewerOutputs, claim).Reason);
    }

    private static async Task RunSpanSessionAsync(Node node)
    {
        var id = node.Catalog.Models[0].ModelId;
        int[][] steps = [[1, 50, 60], [70], [80]];
        int position = 0;
        foreach (var tokens in steps)
        {
            var first = (await RunAsync(node.Executor, new InferRequest { Kind = InferKinds.Step, ModelId = id, Start = 0, End = 1, SessionId = "s", Position = position, Tokens = tokens, TaskId = "t" }))[0];
            Assert.Equal(InferKinds.Hidden, first.Kind);
            var last = (await RunAsync(node.Executor, new InferRequest { Kind = InferKinds.Step, ModelId = id, Start = 1, End = 2, SessionId = "s", Position = position, Hidden = first.Data, TaskId = "t" }))[0];
            Assert.Equal(InferKinds.Logits, last.Kind);
            Assert.Equal(1, HiddenStateCodec.Decode(last.Data!, out int rows, out _).Length / node.Catalog.Models[0].Config.VocabSize);
            Assert.Equal(1, rows);
            position += tokens.Length;
        }
        foreach (int start in new[] { 0, 1 })
        {
            var closed = (await RunAsync(node.Executor, new InferRequest { Kind = InferKinds.Close, ModelId = id, Start = start, End = start + 1, SessionId = "s" }))[0];
            Assert.NotNull(closed.Receipt);
        }
    }
}
