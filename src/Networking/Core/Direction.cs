namespace P2P.Networking.Core;

/// <summary>Who opened a connection or stream: us (outbound) or the remote peer (inbound).</summary>
public enum Direction
{
    Inbound,
    Outbound,
}
