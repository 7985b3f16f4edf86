using System.Net;
using System.Net.Sockets;

namespace P2P.Networking.Host.Admission;

/// <summary>The network an address belongs to for admission: its /24 for IPv4 (mapped ones included), its /64 for IPv6.</summary>
public readonly record struct SubnetKey(AddressFamily Family, UInt128 Prefix)
{
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static SubnetKey Of(IPAddress address)
    {
        address = Normalize(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        var prefixLength = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 8;
        UInt128 prefix = 0;
        for (var i = 0; i < prefixLength && i < length; i++) prefix = (prefix << 8) | bytes[i];
        return new SubnetKey(address.AddressFamily, prefix);
    }

    public override string ToString()
    {
        var prefixLength = Family == AddressFamily.InterNetwork ? 3 : 8;
        var bytes = new byte[Family == AddressFamily.InterNetwork ? 4 : 16];
        var value = Prefix;
        for (var i = prefixLength - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }
        return $"{new IPAddress(bytes)}/{prefixLength * 8}";
    }
}
