using P2P.InferenceNetwork.Routing;

namespace P2P.Daemon.Gateway;

/// <summary>One request this gateway routed: its route, tokens, latency and outcome (<c>GET /api/v1/inference</c>).</summary>
public sealed record TaskRecord(string TaskId, string Model, IReadOnlyList<RouteStep> Route, int PromptTokens, int CompletionTokens,
    double Seconds, string Outcome, DateTimeOffset Started);
