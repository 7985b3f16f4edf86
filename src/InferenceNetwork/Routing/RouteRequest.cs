using P2P.InferenceNetwork.Generation;

namespace P2P.InferenceNetwork.Routing;

/// <summary>A generation the gateway routes: model, prompt tokens, parameters and mode.</summary>
public sealed record RouteRequest(string ModelId, int NumLayers, int MaxPositions, IReadOnlyList<int> Prompt, GenerationParameters Parameters, bool Deterministic)
{
    /// <summary>The gateway's task id, passed to every executor (it names the receipts).</summary>
    public string TaskId { get; init; } = "";

    /// <summary>Called with each executor's signed receipt as it arrives (a span's may come after the last token).</summary>
    public Action<byte[]>? ReceiptSink { get; init; }
}
