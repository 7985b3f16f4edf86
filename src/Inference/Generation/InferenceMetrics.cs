using System.Diagnostics.Metrics;
using P2P.Inference.Kernels;

namespace P2P.Inference.Generation;

/// <summary>
/// The <c>P2P.Inference</c> meter: generation requests, prompt and generated tokens, and request duration, tagged with
/// the compute mode (and the finish reason on requests). An exporter (Prometheus, OpenTelemetry) subscribes by meter name.
/// </summary>
public sealed class InferenceMetrics : IDisposable
{
    public const string MeterName = "P2P.Inference";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _generatedTokens;
    private readonly Histogram<double> _duration;

    /// <summary>A meter from <paramref name="factory"/> (the host's, so it is disposed with it), or a meter of its own.</summary>
    public InferenceMetrics(IMeterFactory? factory = null)
    {
        Meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = Meter.CreateCounter<long>("p2p.inference.requests", "{request}", "Generation requests completed");
        _promptTokens = Meter.CreateCounter<long>("p2p.inference.prompt_tokens", "{token}", "Prompt tokens prefilled");
        _generatedTokens = Meter.CreateCounter<long>("p2p.inference.generated_tokens", "{token}", "Tokens generated");
        _duration = Meter.CreateHistogram<double>("p2p.inference.request.duration", "s", "Time from the start of prefill to the last token");
    }

    /// <summary>The instance generators use when none is given.</summary>
    public static InferenceMetrics Shared { get; } = new();

    public Meter Meter { get; }

    internal void RecordRequest(ComputeMode mode, GenerationResult result)
    {
        var modeTag = new KeyValuePair<string, object?>("mode", mode == ComputeMode.Deterministic ? "deterministic" : "fast");
        _requests.Add(1, modeTag, new KeyValuePair<string, object?>("finish_reason", result.FinishReason));
        _promptTokens.Add(result.PromptTokens, modeTag);
        _generatedTokens.Add(result.Tokens.Count, modeTag);
        _duration.Record((result.PrefillTime + result.DecodeTime).TotalSeconds, modeTag);
    }

    public void Dispose() => Meter.Dispose();
}
