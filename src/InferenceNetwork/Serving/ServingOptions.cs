using P2P.Inference.Kernels;

namespace P2P.InferenceNetwork.Serving;

/// <summary>How this node serves models: what, in which mode, and how much at once.</summary>
public sealed record ServingOptions
{
    public IReadOnlyList<ServedModelSpec> Models { get; init; } = [];

    public ComputeMode Mode { get; init; } = ComputeMode.Deterministic;

    /// <summary>Sessions served at once per model; more are refused at once ("busy").</summary>
    public int MaxConcurrentSessions { get; init; } = 4;

    /// <summary>How sessions cache keys and values; null means the mode's default (<see cref="CpuBackend.DefaultKvFormat"/>).</summary>
    public KvFormat? KvFormat { get; init; }

    /// <summary>KV-cache budget per served model.</summary>
    public long KvCacheBytes { get; init; } = 256L << 20;

    /// <summary>Compute threads (0 = all cores).</summary>
    public int Threads { get; init; }

    /// <summary>Tokens run through the model by the start-up throughput measurement.</summary>
    public int ProbeTokens { get; init; } = 16;
}
