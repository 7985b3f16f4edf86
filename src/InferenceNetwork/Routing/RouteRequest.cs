using P2P.InferenceNetwork.Generation;

namespace P2P.InferenceNetwork.Routing;

/// <summary>A generation the gateway routes: model, prompt tokens, parameters and mode.</summary>
public sealed record RouteRequest(string ModelId, int NumLayers, int MaxPositions, IReadOnlyList<int> Prompt, GenerationParameters Parameters, bool Deterministic);
