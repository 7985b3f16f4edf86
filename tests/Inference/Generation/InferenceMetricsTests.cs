using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using P2P.Inference.Generation;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;

namespace P2P.Inference.Tests.Generation;

public class InferenceMetricsTests
{
    [Fact]
    public void Generation_CountsRequestsAndTokens_AndRecordsItsDuration()
    {
        using var metrics = new InferenceMetrics();
        var measured = new ConcurrentQueue<(string Instrument, double Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => measured.Enqueue((i.Name, value, Format(tags))));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => measured.Enqueue((i.Name, value, Format(tags))));
        listener.Start();
        using var model = new TransformerShard(ModelLoader.Load("seed:dim=64,layers=2,heads=4,kv_heads=2,ffn=96,vocab=300,max_seq=64,seed=2"),
            new CpuBackend(ComputeMode.Deterministic, 1));

        var results = new Generator(model, metrics).GenerateBatch(
        [
            new GenerationRequest { Prompt = [1, 2, 3], MaxTokens = 5 },
            new GenerationRequest { Prompt = [4, 5], MaxTokens = 2 },
        ]);

        double Sum(string name) => measured.Where(m => m.Instrument == name).Sum(m => m.Value);
        Assert.Equal(2, Sum("p2p.inference.requests"));
        Assert.Equal(5, Sum("p2p.inference.prompt_tokens"));
        Assert.Equal(results.Sum(r => r.Tokens.Count), Sum("p2p.inference.generated_tokens"));
        Assert.True(Sum("p2p.inference.generated_tokens") > 0);
        var durations = measured.Where(m => m.Instrument == "p2p.inference.request.duration").ToList();
        Assert.Equal(2, durations.Count);
        Assert.All(durations, d => Assert.True(d.Value > 0));
        Assert.All(measured, m => Assert.Contains("mode=deterministic", m.Tags));
        Assert.Contains(measured, m => m.Instrument == "p2p.inference.requests" && m.Tags.Contains("finish_reason=length"));
    }

    private static string Format(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags) parts.Add($"{tag.Key}={tag.Value}");
        return string.Join(",", parts);
    }
}
