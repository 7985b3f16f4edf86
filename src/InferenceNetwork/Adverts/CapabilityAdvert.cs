namespace P2P.InferenceNetwork.Adverts;

/// <summary>
/// A node's signed statement, gossiped on <c>p2pd/nodes/1</c>, that it serves layers [Start, End) of a model: with its
/// measured throughput, free session slots and addresses, valid until <see cref="ExpiresAtMs"/>.
/// </summary>
public sealed record CapabilityAdvert
{
    public int Version { get; init; } = 1;

    public string PeerId { get; init; } = "";

    public string ModelId { get; init; } = "";

    /// <summary>Short name clients use (<c>stories260k</c>, or the seed spec).</summary>
    public string Name { get; init; } = "";

    /// <summary>The spec the node loaded (folder or seed spec): where a gateway finds the tokenizer.</summary>
    public string Spec { get; init; } = "";

    public int Start { get; init; }

    public int End { get; init; }

    public int NumLayers { get; init; }

    public int MaxPositions { get; init; }

    public bool Deterministic { get; init; }

    public double TokensPerSecond { get; init; }

    public int FreeSlots { get; init; }

    public int MaxSessions { get; init; }

    public string[] Addresses { get; init; } = [];

    public long IssuedAtMs { get; init; }

    public long ExpiresAtMs { get; init; }

    /// <summary>Ed25519 signature by the node key over <see cref="AdvertSigner.SigningBytes"/>.</summary>
    public byte[]? Signature { get; init; }

    public bool IsWholeModel => Start == 0 && End == NumLayers;
}
