using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.InferenceNetwork.Adverts;
using P2P.InferenceNetwork.Generation;
using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Routing;
using P2P.InferenceNetwork.Serving;
using P2P.Networking.Identity;
using P2P.Networking.RequestResponse;

namespace P2P.InferenceNetwork.Tests;

/// <summary>The router against real executors behind a scripted transport: garbage and silence move the request to a healthy executor.</summary>
public sealed class InferenceRouterTests
{
    private const string Tiny = "seed:preset=tiny,seed=3";
    private static readonly PrivateKey Gateway = Ed25519PrivateKey.Generate(new Random(1));
    private static readonly PrivateKey Honest = Ed25519PrivateKey.Generate(new Random(2));
    private static readonly PrivateKey Liar = Ed25519PrivateKey.Generate(new Random(3));

    [Theory]
    [InlineData("garbage")]
    [InlineData("stall")]
    [InlineData("refuse")]
    public async Task FaultyExecutor_IsReplaced_AndTheAnswerIsTheLocalGenerators(string fault)
    {
        using var catalog = ModelCatalog.Load(new ServingOptions { Models = [new ServedModelSpec(Tiny, null)], Threads = 1, ProbeTokens = 1 });
        using var executor = new InferExecutor(catalog);
        var model = catalog.Models[0];
        var directory = new InferenceDirectory();
        foreach (var key in new[] { Honest, Liar }) directory.Add(Advert(model, key));
        var transport = new ScriptedTransport(executor, Liar.PeerId, fault);
        // On a clock that stands still, the faulty executor's back-off lasts however long this machine takes to generate.
        var health = new PeerHealth(new FakeTimeProvider());
        // Weights favour the faulty executor overwhelmingly, so it is tried first.
        var router = new InferenceRouter(directory, new ExecutorChannel(transport, Gateway.PeerId, null), new ExecutorPicker(new FavourWeights(Liar.PeerId.ToString()), health, new Random(5)), health);
        int[] prompt = [1, 70, 80];
        var parameters = new GenerationParameters { MaxTokens = 12, Sampling = new SamplingOptions(), TopLogProbs = 1 };
        var route = new List<RouteStep>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var tokens = new List<InferResponse>();
        await foreach (var t in router.GenerateAsync(new RouteRequest(model.ModelId, model.Config.NumLayers, model.Config.MaxPositions, prompt, parameters, true), route, timeout.Token))
            tokens.Add(t);

        using var reference = new P2P.Inference.Runtime.TransformerShard(ModelLoader.Load(Tiny), new CpuBackend(ComputeMode.Deterministic, 1));
        var expected = new Generator(reference).Generate(new GenerationRequest { Prompt = prompt, MaxTokens = 12, TopLogProbs = 1 });
        Assert.Equal(expected.Tokens, tokens.Where(t => t.Kind == InferKinds.Token).Select(t => t.Token));
        Assert.Equal([Liar.PeerId.ToString(), Honest.PeerId.ToString()], route.Select(r => r.PeerId));
        Assert.True(health.IsBackingOff(Liar.PeerId.ToString()));
    }

    [Fact]
    public async Task ExecutorDyingMidGeneration_SampledSeededRequest_ResumesWithTheUninterruptedTokens()
    {
        using var catalog = ModelCatalog.Load(new ServingOptions { Models = [new ServedModelSpec(Tiny, null)], Threads = 1, ProbeTokens = 1 });
        using var executor = new InferExecutor(catalog);
        var model = catalog.Models[0];
        var directory = new InferenceDirectory();
        foreach (var key in new[] { Honest, Liar }) directory.Add(Advert(model, key));
        var transport = new ScriptedTransport(executor, Liar.PeerId, "die-after-5");
        var health = new PeerHealth();
        var router = new InferenceRouter(directory, new ExecutorChannel(transport, Gateway.PeerId, null), new ExecutorPicker(new FavourWeights(Liar.PeerId.ToString()), health, new Random(5)), health);
        int[] prompt = [1, 70, 80];
        var sampling = new SamplingOptions { Temperature = 0.8f, Seed = 1234 };
        var parameters = new GenerationParameters { MaxTokens = 14, Sampling = sampling, TopLogProbs = 2 };
        var route = new List<RouteStep>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var tokens = new List<InferResponse>();
        await foreach (var t in router.GenerateAsync(new RouteRequest(model.ModelId, model.Config.NumLayers, model.Config.MaxPositions, prompt, parameters, true), route, timeout.Token))
            tokens.Add(t);

        using var reference = new P2P.Inference.Runtime.TransformerShard(ModelLoader.Load(Tiny), new CpuBackend(ComputeMode.Deterministic, 1));
        var expected = new Generator(reference).Generate(new GenerationRequest { Prompt = prompt, MaxTokens = 14, Sampling = sampling, TopLogProbs = 2 });
        var produced = tokens.Where(t => t.Kind == InferKinds.Token).ToList();
        Assert.Equal(expected.Tokens, produced.Select(t => t.Token));
        Assert.Equal(expected.LogProbs.Select(l => l.LogProb), produced.Select(t => t.LogProb));
        // Sampling really happened: greedy decoding of the same prompt gives another sequence.
        Assert.NotEqual(new Generator(reference).Generate(new GenerationRequest { Prompt = prompt, MaxTokens = 14 }).Tokens, expected.Tokens);
        Assert.Equal([Liar.PeerId.ToString(), Honest.PeerId.ToString()], route.Select(r => r.PeerId));
    }

    private static CapabilityAdvert Advert(ServedModel model, PrivateKey key) => AdvertSigner.Sign(new CapabilityAdvert
    {
        ModelId = model.ModelId,
        Name = "tiny",
        Spec = Tiny,
        Start = 0,
        End = model.Config.NumLayers,
        NumLayers = model.Config.NumLayers,
        MaxPositions = model.Config.MaxPositions,
        Deterministic = true,
        FreeSlots = 4,
        MaxSessions = 4,
        IssuedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        ExpiresAtMs = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds(),
    }, key);

    private sealed class FavourWeights(string favoured) : IExecutorWeights
    {
        public double WeightOf(string peerId) => peerId == favoured ? 1e9 : 1;
    }

    /// <summary>The honest peer is the real executor; the other misbehaves (at once, or after some good tokens).</summary>
    private sealed class ScriptedTransport(InferExecutor executor, PeerId faulty, string fault) : IStreamingRequestResponse<InferRequest, InferResponse>
    {
        public string ProtocolId => InferProtocol.Id;

        public async IAsyncEnumerable<InferResponse> RequestAsync(PeerId peer, InferRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (peer != faulty)
            {
                await foreach (var r in executor.HandleAsync(Gateway.PeerId, request, cancellationToken)) yield return r;
                yield break;
            }
            if (fault.StartsWith("die-after-", StringComparison.Ordinal))
            {
                int good = int.Parse(fault["die-after-".Length..], System.Globalization.CultureInfo.InvariantCulture);
                await foreach (var r in executor.HandleAsync(Gateway.PeerId, request, cancellationToken))
                {
                    if (good-- == 0) throw new IOException("the stream was reset");
                    yield return r;
                }
                yield break;
            }
            switch (fault)
            {
                case "refuse":
                    throw new RequestRefusedException("busy");
                case "garbage":
                    yield return new InferResponse { Kind = InferKinds.Logits, Data = [1, 2, 3] };
                    break;
                default:
                    // Silent: the transport's idle timeout, shortened here, ends the wait.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                    throw new TimeoutException("no response within the idle timeout");
            }
        }

        public IDisposable Serve(StreamingRequestHandler<InferRequest, InferResponse> handler) => throw new NotSupportedException();
    }
}
