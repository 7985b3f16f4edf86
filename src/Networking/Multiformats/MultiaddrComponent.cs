using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using P2P.Networking.Identity;

namespace P2P.Networking.Multiformats;

/// <summary>One <c>/protocol/value</c> pair of a multiaddr, holding the value in binary form.</summary>
public sealed class MultiaddrComponent : IEquatable<MultiaddrComponent>
{
    private const int MaxTextValueLength = 255;
    private readonly byte[] _value;

    internal MultiaddrComponent(MultiaddrProtocol protocol, byte[] value)
    {
        Protocol = protocol;
        _value = value;
    }

    public MultiaddrProtocol Protocol { get; }

    public ReadOnlySpan<byte> Value => _value;

    public static MultiaddrComponent FromIPAddress(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6
            ? new(MultiaddrProtocol.Ip6, address.GetAddressBytes())
            : new(MultiaddrProtocol.Ip4, address.MapToIPv4().GetAddressBytes());

    public static MultiaddrComponent FromTcpPort(int port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, checked((ushort)port));
        return new(MultiaddrProtocol.Tcp, bytes);
    }

    public static MultiaddrComponent FromPeerId(PeerId peer) => new(MultiaddrProtocol.P2p, peer.ToByteArray());

    /// <exception cref="FormatException">the text is not a valid value for the protocol.</exception>
    public static MultiaddrComponent FromText(MultiaddrProtocol protocol, string text)
    {
        switch (protocol.Code)
        {
            case 4:
                if (text.Split('.').Length != 4 || !IPAddress.TryParse(text, out var v4) || v4.AddressFamily != AddressFamily.InterNetwork)
                {
                    throw new FormatException($"invalid ip4 address '{text}'");
                }
                return new(protocol, v4.GetAddressBytes());
            case 41:
                if (!text.Contains(':') || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6 || v6.ScopeId != 0)
                {
                    throw new FormatException($"invalid ip6 address '{text}'");
                }
                return new(protocol, v6.GetAddressBytes());
            case 6 or 273:
                if (!ushort.TryParse(text, System.Globalization.NumberStyles.None, null, out var port))
                {
                    throw new FormatException($"invalid {protocol.Name} port '{text}'");
                }
                var bytes = new byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
                return new(protocol, bytes);
            case 421:
                return new(protocol, PeerId.Parse(text).ToByteArray());
            case 53 or 54 or 55 or 56:
                if (text.Length == 0 || text.Length > MaxTextValueLength || text.Contains('/'))
                {
                    throw new FormatException($"invalid {protocol.Name} name '{text}'");
                }
                return new(protocol, System.Text.Encoding.UTF8.GetBytes(text));
            default:
                throw new FormatException($"protocol {protocol.Name} takes no value");
        }
    }

    /// <summary>Validates a binary value read from the wire.</summary>
    internal static MultiaddrComponent FromBinary(MultiaddrProtocol protocol, ReadOnlySpan<byte> value)
    {
        switch (protocol.Code)
        {
            case 421:
                PeerId.FromBytes(value);
                break;
            case 53 or 54 or 55 or 56:
                if (value.Length == 0 || value.Length > MaxTextValueLength || value.Contains((byte)'/'))
                {
                    throw new FormatException($"invalid {protocol.Name} name");
                }
                new System.Text.UTF8Encoding(false, true).GetString(value);
                break;
        }
        return new(protocol, value.ToArray());
    }

    /// <summary>The value in text form (empty for protocols without a value).</summary>
    public string ValueText => Protocol.Code switch
    {
        4 or 41 => new IPAddress(_value).ToString(),
        6 or 273 => BinaryPrimitives.ReadUInt16BigEndian(_value).ToString(System.Globalization.CultureInfo.InvariantCulture),
        421 => PeerId.FromBytes(_value).ToString(),
        53 or 54 or 55 or 56 => System.Text.Encoding.UTF8.GetString(_value),
        _ => "",
    };

    public override string ToString() => Protocol.Size == 0 ? "/" + Protocol.Name : $"/{Protocol.Name}/{ValueText}";

    public bool Equals(MultiaddrComponent? other) =>
        other is not null && other.Protocol.Code == Protocol.Code && other._value.AsSpan().SequenceEqual(_value);

    public override bool Equals(object? obj) => obj is MultiaddrComponent other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Protocol.Code);
        hash.AddBytes(_value);
        return hash.ToHashCode();
    }
}
