namespace P2P.Daemon.Api;

/// <summary>Body of <c>GET /healthz</c>.</summary>
public sealed record HealthResponse(string Status);
