using System.Net;

namespace P2P.Networking.Host.Admission;

/// <summary>
/// Counts handshakes in progress and decides whether a new one may start (see <see cref="AdmissionLimits"/>).
/// Inbound connections are checked per address, per /24 or /64 and against the slots left after the reserves;
/// those from an address of a peer in the peer store may also use the known-peer reserve.
/// </summary>
public sealed class HandshakeAdmission
{
    private readonly AdmissionLimits _limits;
    private readonly Func<IPAddress, bool> _isKnownPeerAddress;
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Dictionary<SubnetKey, int> _perSubnet = [];
    private int _inbound;
    private int _outbound;

    /// <param name="isKnownPeerAddress">Whether an address belongs to a peer in the peer store; asked only when the stranger slots are full.</param>
    public HandshakeAdmission(AdmissionLimits limits, Func<IPAddress, bool> isKnownPeerAddress)
    {
        _limits = limits;
        _isKnownPeerAddress = isKnownPeerAddress;
    }

    public AdmissionLimits Limits => _limits;

    public int PendingInbound { get { lock (_gate) return _inbound; } }

    public int PendingOutbound { get { lock (_gate) return _outbound; } }

    /// <summary>Admits an inbound handshake from <paramref name="remote"/>, or says why not.</summary>
    public AdmissionRefusal TryAdmitInbound(IPAddress remote, out HandshakeSlot? slot)
    {
        slot = null;
        var address = SubnetKey.Normalize(remote);
        var subnet = SubnetKey.Of(address);
        lock (_gate)
        {
            if (_perAddress.GetValueOrDefault(address) >= _limits.MaxPendingPerAddress) return AdmissionRefusal.AddressLimit;
            if (_perSubnet.GetValueOrDefault(subnet) >= _limits.MaxPendingPerSubnet) return AdmissionRefusal.SubnetLimit;
            var total = _inbound + _outbound;
            if (total >= _limits.MaxPending - _limits.OutboundReserve) return AdmissionRefusal.GlobalLimit;
            if (total >= _limits.StrangerCapacity && !_isKnownPeerAddress(address)) return AdmissionRefusal.GlobalLimit;
            _perAddress[address] = _perAddress.GetValueOrDefault(address) + 1;
            _perSubnet[subnet] = _perSubnet.GetValueOrDefault(subnet) + 1;
            _inbound++;
        }
        slot = new HandshakeSlot(() => ReleaseInbound(address, subnet));
        return AdmissionRefusal.None;
    }

    /// <summary>Admits one of our own dials; refused only when every slot, the outbound reserve included, is taken.</summary>
    public AdmissionRefusal TryAdmitOutbound(out HandshakeSlot? slot)
    {
        slot = null;
        lock (_gate)
        {
            if (_inbound + _outbound >= _limits.MaxPending) return AdmissionRefusal.GlobalLimit;
            _outbound++;
        }
        slot = new HandshakeSlot(() => { lock (_gate) _outbound--; });
        return AdmissionRefusal.None;
    }

    /// <summary>The reason for a refusal in words, for logs and exceptions.</summary>
    public string Describe(AdmissionRefusal refusal, IPAddress? remote) => refusal switch
    {
        AdmissionRefusal.AddressLimit => $"limit: {_limits.MaxPendingPerAddress} handshakes from {SubnetKey.Normalize(remote!)} already in progress",
        AdmissionRefusal.SubnetLimit => $"limit: {_limits.MaxPendingPerSubnet} handshakes from {SubnetKey.Of(remote!)} already in progress",
        AdmissionRefusal.GlobalLimit => $"limit: {_limits.MaxPending} handshakes already in progress (reserves included)",
        _ => "admitted",
    };

    private void ReleaseInbound(IPAddress address, SubnetKey subnet)
    {
        lock (_gate)
        {
            _inbound--;
            Decrement(_perAddress, address);
            Decrement(_perSubnet, subnet);
        }
    }

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull
    {
        var left = counts[key] - 1;
        if (left == 0) counts.Remove(key);
        else counts[key] = left;
    }
}
