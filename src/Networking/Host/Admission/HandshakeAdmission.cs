using System.Net;

namespace P2P.Networking.Host.Admission;

/// <summary>
/// Counts handshakes in progress and decides whether a new one may start (see <see cref="AdmissionLimits"/>).
/// Inbound connections are checked per address, per /24 or /64 and against the slots left after the reserves;
/// those from an address of a peer in the peer store may also use the known-peer reserve.
/// </summary>
public sealed class HandshakeAdmission
{
    private readonly AdmissionLimits limits;
    private readonly Func<IPAddress, bool> isKnownPeerAddress;
    private readonly Lock gate = new();
    private readonly Dictionary<IPAddress, int> perAddress = [];
    private readonly Dictionary<SubnetKey, int> perSubnet = [];
    private int inbound;
    private int outbound;

    /// <param name="isKnownPeerAddress">Whether an address belongs to a peer in the peer store; asked only when the stranger slots are full.</param>
    public HandshakeAdmission(AdmissionLimits limits, Func<IPAddress, bool> isKnownPeerAddress)
    {
        this.limits = limits;
        this.isKnownPeerAddress = isKnownPeerAddress;
    }

    public AdmissionLimits Limits => limits;

    public int PendingInbound { get { lock (gate) return inbound; } }

    public int PendingOutbound { get { lock (gate) return outbound; } }

    /// <summary>Admits an inbound handshake from <paramref name="remote"/>, or says why not.</summary>
    public AdmissionRefusal TryAdmitInbound(IPAddress remote, out HandshakeSlot? slot)
    {
        slot = null;
        var address = SubnetKey.Normalize(remote);
        var subnet = SubnetKey.Of(address);
        lock (gate)
        {
            if (perAddress.GetValueOrDefault(address) >= limits.MaxPendingPerAddress) return AdmissionRefusal.AddressLimit;
            if (perSubnet.GetValueOrDefault(subnet) >= limits.MaxPendingPerSubnet) return AdmissionRefusal.SubnetLimit;
            var total = inbound + outbound;
            if (total >= limits.MaxPending - limits.OutboundReserve) return AdmissionRefusal.GlobalLimit;
            if (total >= limits.StrangerCapacity && !isKnownPeerAddress(address)) return AdmissionRefusal.GlobalLimit;
            perAddress[address] = perAddress.GetValueOrDefault(address) + 1;
            perSubnet[subnet] = perSubnet.GetValueOrDefault(subnet) + 1;
            inbound++;
        }
        slot = new HandshakeSlot(() => ReleaseInbound(address, subnet));
        return AdmissionRefusal.None;
    }

    /// <summary>Admits one of our own dials; refused only when every slot, the outbound reserve included, is taken.</summary>
    public AdmissionRefusal TryAdmitOutbound(out HandshakeSlot? slot)
    {
        slot = null;
        lock (gate)
        {
            if (inbound + outbound >= limits.MaxPending) return AdmissionRefusal.GlobalLimit;
            outbound++;
        }
        slot = new HandshakeSlot(() => { lock (gate) outbound--; });
        return AdmissionRefusal.None;
    }

    /// <summary>The reason for a refusal in words, for logs and exceptions.</summary>
    public string Describe(AdmissionRefusal refusal, IPAddress? remote) => refusal switch
    {
        AdmissionRefusal.AddressLimit => $"limit: {limits.MaxPendingPerAddress} handshakes from {SubnetKey.Normalize(remote!)} already in progress",
        AdmissionRefusal.SubnetLimit => $"limit: {limits.MaxPendingPerSubnet} handshakes from {SubnetKey.Of(remote!)} already in progress",
        AdmissionRefusal.GlobalLimit => $"limit: {limits.MaxPending} handshakes already in progress (reserves included)",
        _ => "admitted",
    };

    private void ReleaseInbound(IPAddress address, SubnetKey subnet)
    {
        lock (gate)
        {
            inbound--;
            Decrement(perAddress, address);
            Decrement(perSubnet, subnet);
        }
    }

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull
    {
        var left = counts[key] - 1;
        if (left == 0) counts.Remove(key);
        else counts[key] = left;
    }
}
