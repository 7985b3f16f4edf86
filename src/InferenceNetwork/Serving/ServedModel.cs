using System.Diagnostics;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;

namespace P2P.InferenceNetwork.Serving;

/// <summary>A loaded model (or span of layers) this node serves, with its network id, measured throughput and session slots.</summary>
public sealed class ServedModel : IDisposable
{
    private readonly SemaphoreSlim _slots;

    private ServedModel(string spec, string modelId, TransformerShard shard, int slots)
    {
        Spec = spec;
        ModelId = modelId;
        Shard = shard;
        MaxSessions = slots;
        _slots = new SemaphoreSlim(slots, slots);
    }

    public string Spec { get; }

    public string ModelId { get; }

    public TransformerShard Shard { get; }

    public ModelConfig Config => Shard.Config;

    public ShardRange Range => Shard.Range;

    public bool IsWholeModel => Shard.HasEmbeddings && Shard.HasHead;

    public int MaxSessions { get; }

    public int FreeSlots => _slots.CurrentCount;

    /// <summary>Tokens per second of a decode step measured at start-up (one session).</summary>
    public double TokensPerSecond { get; private set; }

    /// <summary>Loads the spec, computes the model id and measures throughput.</summary>
    public static ServedModel Load(ServedModelSpec spec, ServingOptions options)
    {
        var config = ModelLoader.LoadConfig(spec.Model);
        var range = spec.Layers ?? ShardRange.Full(config);
        range.Validate(config);
        var modelId = ModelIdentity.ForSpec(spec.Model);
        var shard = new TransformerShard(ModelLoader.Load(spec.Model, range), new CpuBackend(options.Mode, options.Threads, options.KvFormat), new KvCacheStore(options.KvCacheBytes));
        var served = new ServedModel(spec.Model, modelId, shard, options.MaxConcurrentSessions);
        served.TokensPerSecond = served.Measure(options.ProbeTokens);
        return served;
    }

    /// <summary>Serves a shard built by the caller (tests give it an instrumented backend); throughput is not measured.</summary>
    internal static ServedModel FromShard(string spec, TransformerShard shard, int slots) => new(spec, ModelIdentity.ForSpec(spec), shard, slots);

    /// <summary>A slot for one session, or null at once when all are taken.</summary>
    public IDisposable? TryAcquireSlot() => _slots.Wait(0) ? new Slot(_slots) : null;

    private double Measure(int tokens)
    {
        using var session = Shard.CreateSession();
        int d = Config.HiddenSize;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < tokens && session.Position < Config.MaxPositions; i++)
        {
            var hidden = Shard.HasEmbeddings ? Shard.Embed([i % Config.VocabSize]) : new float[d];
            Shard.Forward([session], [1], hidden);
            if (Shard.HasHead) Shard.Logits(hidden, [0]);
        }
        return tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
    }

    public void Dispose()
    {
        Shard.Dispose();
        _slots.Dispose();
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release();
        }
    }
}
