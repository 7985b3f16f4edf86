using Microsoft.Extensions.Time.Testing;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Tests.Support;
using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Serving;
using P2P.InferenceNetwork.Tests.Support;
using P2P.Networking.Identity;

namespace P2P.InferenceNetwork.Tests;

/// <summary>
/// What a gateway may do to a span session while one of its steps runs: close it (a cancel: no receipt), reopen it,
/// send a second step, or leave it long enough for the idle sweep. The step's pass keeps its memory, the node answers
/// every request, and nothing leaks (each test ends with the shard's KV memory and session slots back to zero).
/// </summary>
public sealed class SpanSessionLifetimeTests
{
    private const string Tiny = "seed:preset=tiny,seed=3";
    private static readonly PeerId Gateway = Ed25519PrivateKey.Generate(new Random(1)).PeerId;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly int[] Prompt = [1, 50, 60, 70];

    [Fact]
    public async Task CloseWhileAStepRuns_AnswersBoth_WithoutAReceipt_AndFreesTheSessionWhenThePassEnds()
    {
        using var served = Served(out var gate);
        var issuer = new CountingIssuer();
        using var executor = new InferExecutor(served.Catalog, accounting: Accounting(issuer));
        var step = SingleAsync(executor, FirstStep("s"));
        await gate.Entered.WaitAsync(Bound);

        var closed = await SingleAsync(executor, Close("s"));
        Assert.Equal(InferKinds.Done, closed.Kind);
        Assert.Null(closed.Receipt);
        Assert.Equal(0, executor.ActiveSessions);
        Assert.True(served.Catalog.Models[0].Shard.Cache.UsedBytes > 0, "the running pass lost its KV memory");
        gate.Open();
        Assert.Equal(InferKinds.Hidden, (await step.WaitAsync(Bound)).Kind);

        Assert.Equal(InferErrorCodes.UnknownSession, (await SingleAsync(executor, NextStep("s", Prompt.Length))).Code);
        Assert.Equal(0, issuer.Count);
        served.AssertNothingHeld();
    }

    [Fact]
    public async Task ReopenWhileAStepRuns_KeepsTheNewSession_WhichEarnsItsReceipt()
    {
        using var served = Served(out var gate);
        var issuer = new CountingIssuer();
        using var executor = new InferExecutor(served.Catalog, accounting: Accounting(issuer));
        var stale = SingleAsync(executor, FirstStep("s"));
        await gate.Entered.WaitAsync(Bound);

        var reopened = SingleAsync(executor, FirstStep("s"));
        Assert.True(served.Catalog.Models[0].Shard.Cache.UsedBytes > 0, "the running pass lost its KV memory");
        gate.Open();
        Assert.Equal(InferKinds.Hidden, (await stale.WaitAsync(Bound)).Kind);
        Assert.Equal(InferKinds.Hidden, (await reopened.WaitAsync(Bound)).Kind);

        Assert.Equal(InferKinds.Hidden, (await SingleAsync(executor, NextStep("s", Prompt.Length))).Kind);
        Assert.NotNull((await SingleAsync(executor, Close("s"))).Receipt);
        Assert.Equal(1, issuer.Count);
        served.AssertNothingHeld();
    }

    [Fact]
    public async Task ASecondStepWhileOneRuns_IsBusy()
    {
        using var served = Served(out var gate);
        using var executor = new InferExecutor(served.Catalog);
        gate.Open();
        Assert.Equal(InferKinds.Hidden, (await SingleAsync(executor, FirstStep("s") with { Tokens = [1] })).Kind);
        gate.Close();
        var running = SingleAsync(executor, NextStep("s", 1));
        await gate.Entered.WaitAsync(Bound);

        var second = await SingleAsync(executor, NextStep("s", 1));
        Assert.Equal(InferErrorCodes.Busy, second.Code);
        gate.Open();
        Assert.Equal(InferKinds.Hidden, (await running.WaitAsync(Bound)).Kind);
        Assert.Equal(InferKinds.Hidden, (await SingleAsync(executor, NextStep("s", 2))).Kind);
        await SingleAsync(executor, Close("s"));
        served.AssertNothingHeld();
    }

    [Fact]
    public async Task TheIdleSweep_PassesOverARunningStep_AndTakesIdleSessions()
    {
        using var served = Served(out var gate);
        var time = new FakeTimeProvider();
        using var executor = new InferExecutor(served.Catalog, time, sessionIdle: TimeSpan.FromSeconds(60));
        var running = SingleAsync(executor, FirstStep("s"));
        await gate.Entered.WaitAsync(Bound);

        time.Advance(TimeSpan.FromMinutes(5));
        await SingleAsync(executor, Close("unrelated"));
        Assert.Equal(1, executor.ActiveSessions);
        gate.Open();
        Assert.Equal(InferKinds.Hidden, (await running.WaitAsync(Bound)).Kind);
        Assert.Equal(InferKinds.Hidden, (await SingleAsync(executor, NextStep("s", Prompt.Length))).Kind);

        time.Advance(TimeSpan.FromMinutes(5));
        await SingleAsync(executor, Close("unrelated"));
        Assert.Equal(0, executor.ActiveSessions);
        served.AssertNothingHeld();
    }

    private static InferRequest FirstStep(string session) =>
        new() { Kind = InferKinds.Step, ModelId = ServedShard.ModelId, Start = 0, End = 1, SessionId = session, Position = 0, Tokens = Prompt };

    private static InferRequest NextStep(string session, int position) => FirstStep(session) with { Position = position, Tokens = [5] };

    private static InferRequest Close(string session) => new() { Kind = InferKinds.Close, ModelId = ServedShard.ModelId, Start = 0, End = 1, SessionId = session };

    private static ExecutorAccounting Accounting(IReceiptIssuer issuer) => new() { Issuer = issuer, Records = new SpanRecordStore(100, 1L << 20) };

    private static ServedShard Served(out GatedBackend gate)
    {
        gate = new GatedBackend(new CpuBackend(ComputeMode.Deterministic, 1));
        var shard = new TransformerShard(ModelLoader.Load(Tiny, new ShardRange(0, 1)), gate, new KvCacheStore(1L << 20));
        return new ServedShard(new ModelCatalog([ServedModel.FromShard(Tiny, shard, slots: 2)]));
    }

    private static async Task<InferResponse> SingleAsync(InferExecutor executor, InferRequest request)
    {
        InferResponse? first = null;
        await foreach (var r in executor.HandleAsync(Gateway, request, CancellationToken.None)) first ??= r;
        return first ?? throw new InvalidOperationException("no response");
    }

    /// <summary>The catalog of one gated span, [0, 1) of the tiny model.</summary>
    private sealed class ServedShard(ModelCatalog catalog) : IDisposable
    {
        public static string ModelId { get; } = ModelIdentity.ForSpec(Tiny);

        public ModelCatalog Catalog { get; } = catalog;

        public void AssertNothingHeld()
        {
            var model = Catalog.Models[0];
            Assert.Equal(0, model.Shard.Cache.UsedBytes);
            Assert.Equal(0, model.Shard.Cache.SessionCount);
            Assert.Equal(model.MaxSessions, model.FreeSlots);
        }

        public void Dispose() => Catalog.Dispose();
    }
}
