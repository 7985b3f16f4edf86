namespace P2P.Networking.Host.Admission;

/// <summary>
/// Limits on connections still in their handshakes (TCP accepted or dialled, Noise and yamux not yet done),
/// in the spirit of go-libp2p's resource manager: one address or one network cannot take every slot.
/// </summary>
public sealed class AdmissionLimits
{
    /// <summary>Inbound handshakes in progress from one remote IP address.</summary>
    public int MaxPendingPerAddress { get; set; } = 8;

    /// <summary>Inbound handshakes in progress from one /24 (IPv4) or /64 (IPv6) network.</summary>
    public int MaxPendingPerSubnet { get; set; } = 32;

    /// <summary>Handshakes in progress in total, inbound and outbound.</summary>
    public int MaxPending { get; set; } = 256;

    /// <summary>Slots of <see cref="MaxPending"/> that only our own outbound dials may use.</summary>
    public int OutboundReserve { get; set; } = 32;

    /// <summary>Slots of <see cref="MaxPending"/> that inbound connections from addresses of peers in the peer store may use, besides the others.</summary>
    public int KnownPeerReserve { get; set; } = 32;

    /// <summary>Inbound handshakes from addresses not in the peer store may use the slots left after both reserves.</summary>
    public int StrangerCapacity => Math.Max(0, MaxPending - OutboundReserve - KnownPeerReserve);

    /// <summary>Problems with these limits, as (setting, problem) pairs; empty when they are consistent.</summary>
    public IEnumerable<(string Setting, string Problem)> Problems()
    {
        if (MaxPending is < 1 or > 100_000) yield return (nameof(MaxPending), $"{MaxPending} is out of range (1-100000)");
        if (MaxPendingPerAddress < 1) yield return (nameof(MaxPendingPerAddress), $"{MaxPendingPerAddress} is below 1");
        if (MaxPendingPerSubnet < MaxPendingPerAddress)
            yield return (nameof(MaxPendingPerSubnet), $"{MaxPendingPerSubnet} is below MaxPendingPerAddress ({MaxPendingPerAddress})");
        if (OutboundReserve < 0) yield return (nameof(OutboundReserve), $"{OutboundReserve} is negative");
        if (KnownPeerReserve < 0) yield return (nameof(KnownPeerReserve), $"{KnownPeerReserve} is negative");
        if (OutboundReserve + KnownPeerReserve >= MaxPending)
            yield return (nameof(OutboundReserve), $"the two reserves ({OutboundReserve} + {KnownPeerReserve}) leave no slot of {MaxPending} for new peers");
    }
}
