using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Serialization;
using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Serving;
using P2P.InferenceNetwork.Tests.Support;
using P2P.Networking.Identity;

namespace P2P.InferenceNetwork.Tests;

/// <summary>The executor against the engine itself, on the seeded tiny model: same bits as <c>Generator</c>, spans chain to the whole model, busy refuses at once.</summary>
public sealed class InferExecutorTests
{
    private const string Tiny = "seed:preset=tiny,seed=3";
    private static readonly PeerId Gateway = Ed25519PrivateKey.Generate(new Random(1)).PeerId;

    private static ServingOptions Options(int slots = 2, params ServedModelSpec[] models) =>
        new() { Models = models, Mode = ComputeMode.Deterministic, Threads = 1, MaxConcurrentSessions = slots, ProbeTokens = 2 };

    [Fact]
    public async Task Generate_StreamsTheTokensAndLogProbsOfTheLocalGenerator()
    {
        using var catalog = ModelCatalog.Load(Options(2, new ServedModelSpec(Tiny, null)));
        using var executor = new InferExecutor(catalog);
        var model = catalog.Models[0];
        int[] prompt = [1, 72, 101, 108];
        var sampling = new SamplingOptions { Temperature = 0.9f, TopP = 0.95f, Seed = 5 };
        using var reference = new TransformerShard(ModelLoader.Load(Tiny), new CpuBackend(ComputeMode.Deterministic, 1));
        var expected = new Generator(reference).Generate(new GenerationRequest { Prompt = prompt, MaxTokens = 20, Sampling = sampling, TopLogProbs = 3 });

        var responses = new List<InferResponse>();
        await foreach (var r in executor.HandleAsync(Gateway, new InferRequest
        {
            ModelId = model.ModelId,
            End = model.Range.End,
            Tokens = prompt,
            MaxTokens = 20,
            Temperature = 0.9f,
            TopP = 0.95f,
            Seed = 5,
            TopLogProbs = 3,
        }, CancellationToken.None)) responses.Add(r);

        var tokens = responses.Where(r => r.Kind == InferKinds.Token).ToList();
        Assert.Equal(expected.Tokens, tokens.Select(t => t.Token));
        Assert.Equal(expected.LogProbs.Select(l => l.LogProb), tokens.Select(t => t.LogProb));
        Assert.Equal(expected.LogProbs.Select(l => l.Top.Select(t => t.Token)), tokens.Select(t => t.Top.Select(x => x.Token)));
        Assert.Equal(expected.FinishReason, responses[^1].FinishReason);
        Assert.Equal(0, executor.ActiveSessions);
    }

    [Fact]
    public async Task SpanSteps_ChainToTheWholeModelsLogits_AndAFullExecutorSaysBusyAtOnce()
    {
        using var catalog = ModelCatalog.Load(Options(1, new ServedModelSpec(Tiny, new ShardRange(0, 1)), new ServedModelSpec(Tiny, new ShardRange(1, 2))));
        using var executor = new InferExecutor(catalog);
        var id = catalog.Models[0].ModelId;
        Assert.Equal(id, catalog.Models[1].ModelId);
        int[] prompt = [1, 50, 60];

        var first = await SingleAsync(executor, new InferRequest { Kind = InferKinds.Step, ModelId = id, Start = 0, End = 1, SessionId = "s", Tokens = prompt });
        Assert.Equal(InferKinds.Hidden, first.Kind);
        var last = await SingleAsync(executor, new InferRequest { Kind = InferKinds.Step, ModelId = id, Start = 1, End = 2, SessionId = "s", Hidden = first.Data });
        Assert.Equal(InferKinds.Logits, last.Kind);
        var logits = HiddenStateCodec.Decode(last.Data!, out _, out _);

        using var reference = new TransformerShard(ModelLoader.Load(Tiny), new CpuBackend(ComputeMode.Deterministic, 1));
        using var session = reference.CreateSession();
        var hidden = reference.Embed(prompt);
        reference.Forward([session], [prompt.Length], hidden);
        Assert.Equal(reference.Logits(hidden, [prompt.Length - 1]), logits);

        // One slot per span, held by session "s": another session is refused at once, a wrong position asks for replay.
        var busy = await SingleAsync(executor, new InferRequest { Kind = InferKinds.Step, ModelId = id, Start = 0, End = 1, SessionId = "t", Tokens = prompt });
        Assert.Equal(InferErrorCodes.Busy, busy.Code);
        var lost = await SingleAsync(executor, new InferRequest { Kind = InferKinds.Step, ModelId = id, Start = 0, End = 1, SessionId = "s", Position = 7, Tokens = [5] });
        Assert.Equal(InferErrorCodes.UnknownSession, lost.Code);
        await SingleAsync(executor, new InferRequest { Kind = InferKinds.Close, ModelId = id, Start = 1, End = 2, SessionId = "s" });
        await SingleAsync(executor, new InferRequest { Kind = InferKinds.Close, ModelId = id, Start = 0, End = 1, SessionId = "s" });
        Assert.Equal(0, executor.ActiveSessions);
        Assert.All(catalog.Models, m => Assert.Equal(m.MaxSessions, m.FreeSlots));
    }

    [Fact]
    public async Task BadRequests_GetErrorsNotExceptions()
    {
        using var catalog = ModelCatalog.Load(Options(2, new ServedModelSpec(Tiny, null)));
        using var executor = new InferExecutor(catalog);
        var id = catalog.Models[0].ModelId;
        Assert.Equal(InferErrorCodes.UnknownModel, (await SingleAsync(executor, new InferRequest { ModelId = new string('0', 64), End = 2, Tokens = [1] })).Code);
        Assert.Equal(InferErrorCodes.BadRequest, (await SingleAsync(executor, new InferRequest { ModelId = id, End = 2, Tokens = [] })).Code);
        Assert.Equal(InferErrorCodes.BadRequest, (await SingleAsync(executor, new InferRequest { ModelId = id, End = 2, Tokens = [999_999] })).Code);
        Assert.Equal(InferErrorCodes.BadRequest, (await SingleAsync(executor, new InferRequest { ModelId = id, End = 2, Tokens = [1], Deterministic = false })).Code);
        Assert.Equal(InferErrorCodes.BadRequest, (await SingleAsync(executor, new InferRequest { Kind = "dance", ModelId = id })).Code);
        Assert.Equal(InferErrorCodes.BadRequest, (await SingleAsync(executor, new InferRequest { Kind = InferKinds.Step, ModelId = id, End = 2, SessionId = "x", Tokens = [1], Position = 0, Hidden = [1, 2, 3] } with { Tokens = [] })).Code);
    }

    /// <summary>While the issuer says receipts would go unpaid, new generations and span sessions are refused as busy; an open session goes on and is paid as before.</summary>
    [Fact]
    public async Task WhileReceiptsWouldGoUnpaid_NewSessionsAreBusy_AndAnOpenOneContinues()
    {
        using var catalog = ModelCatalog.Load(Options(2, new ServedModelSpec(Tiny, null), new ServedModelSpec(Tiny, new ShardRange(0, 1))));
        var issuer = new CountingIssuer();
        using var executor = new InferExecutor(catalog, accounting: new ExecutorAccounting { Issuer = issuer, Records = new SpanRecordStore(100, 1L << 20) });
        var id = catalog.Models[0].ModelId;
        var step = new InferRequest { Kind = InferKinds.Step, ModelId = id, Start = 0, End = 1, SessionId = "open", Tokens = [1, 50] };
        Assert.Equal(InferKinds.Hidden, (await SingleAsync(executor, step)).Kind);

        issuer.UnpayableReason = "behind its peers";
        var generation = await SingleAsync(executor, new InferRequest { ModelId = id, End = 2, Tokens = [1, 72], MaxTokens = 3 });
        Assert.Equal((InferErrorCodes.Busy, "behind its peers"), (generation.Code, generation.Message));
        Assert.Equal(InferErrorCodes.Busy, (await SingleAsync(executor, step with { SessionId = "new" })).Code);
        Assert.Equal(InferKinds.Hidden, (await SingleAsync(executor, step with { Position = 2, Tokens = [60] })).Kind);
        Assert.NotNull((await SingleAsync(executor, new InferRequest { Kind = InferKinds.Close, ModelId = id, Start = 0, End = 1, SessionId = "open" })).Receipt);

        issuer.UnpayableReason = null;
        Assert.Equal(InferKinds.Token, (await SingleAsync(executor, new InferRequest { ModelId = id, End = 2, Tokens = [1, 72], MaxTokens = 3 })).Kind);
        Assert.Equal(0, executor.ActiveSessions);
    }

    private static async Task<InferResponse> SingleAsync(InferExecutor executor, InferRequest request)
    {
        InferResponse? first = null;
        await foreach (var r in executor.HandleAsync(Gateway, request, CancellationToken.None)) { first ??= r; }
        return first ?? throw new InvalidOperationException("no response");
    }
}
