namespace P2P.Networking.Core;

/// <summary>multistream-select found no protocol both sides support.</summary>
public sealed class ProtocolNotSupportedException(IReadOnlyList<string> protocols)
    : Exception($"remote supports none of: {string.Join(", ", protocols)}")
{
    public IReadOnlyList<string> Protocols { get; } = protocols;
}
