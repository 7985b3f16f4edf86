using P2P.Daemon.Configuration;

namespace P2P.Daemon.Node;

/// <summary>Body of <c>GET /api/v1/status</c>.</summary>
public sealed record NodeStatusResponse(string PeerId, string Version, double UptimeSeconds, DateTimeOffset StartedAt, string DataDirectory);
