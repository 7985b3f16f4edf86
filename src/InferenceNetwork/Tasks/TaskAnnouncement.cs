namespace P2P.InferenceNetwork.Tasks;

/// <summary>
/// A gateway's signed notice, gossiped on <c>p2pd/tasks/1</c>, that it accepted a request: what model, which route,
/// by when — so the network sees the work it must account for.
/// </summary>
public sealed record TaskAnnouncement
{
    public int Version { get; init; } = 1;

    public string TaskId { get; init; } = "";

    /// <summary>Hex SHA-256 of the prompt token ids and generation parameters.</summary>
    public string RequestHash { get; init; } = "";

    public string ModelId { get; init; } = "";

    /// <summary>Peers of the route as planned, one per span (<c>peer@start-end</c>).</summary>
    public string[] Route { get; init; } = [];

    public long DeadlineMs { get; init; }

    public string GatewayPeerId { get; init; } = "";

    /// <summary>Ed25519 signature by the gateway's node key over <see cref="TaskSigner.SigningBytes"/>.</summary>
    public byte[]? Signature { get; init; }
}
