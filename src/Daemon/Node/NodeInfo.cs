using P2P.Daemon.Configuration;

namespace P2P.Daemon.Node;

/// <summary>Who this node is and since when it runs; what <c>/api/v1/status</c> reports.</summary>
public sealed class NodeInfo(string peerId, string version, string dataDirectory, DateTimeOffset startedAt)
{
    public string PeerId { get; } = peerId;
    public string Version { get; } = version;
    public string DataDirectory { get; } = dataDirectory;
    public DateTimeOffset StartedAt { get; } = startedAt;

    public TimeSpan Uptime(TimeProvider time) => time.GetUtcNow() - StartedAt;
}
