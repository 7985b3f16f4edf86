using System.Buffers.Binary;
using System.Net;
using P2P.Networking.Encoding;
using P2P.Networking.Identity;

namespace P2P.Networking.Multiformats;

/// <summary>An immutable multiaddr (text <c>/ip4/1.2.3.4/tcp/4001/p2p/12D3…</c> or its binary form).</summary>
public sealed class Multiaddr : IEquatable<Multiaddr>
{
    /// <summary>Longest binary or text form accepted.</summary>
    public const int MaxLength = 1024;

    private readonly MultiaddrComponent[] _components;

    private Multiaddr(MultiaddrComponent[] components) => _components = components;

    public IReadOnlyList<MultiaddrComponent> Components => _components;

    public bool IsEmpty => _components.Length == 0;

    public static Multiaddr FromComponents(IEnumerable<MultiaddrComponent> components) => new([.. components]);

    /// <exception cref="FormatException">malformed text or an unknown protocol.</exception>
    public static Multiaddr Parse(string text)
    {
        if (text.Length > MaxLength)
        {
            throw new FormatException("multiaddr text too long");
        }
        if (text.Length == 0 || text[0] != '/')
        {
            throw new FormatException($"multiaddr must start with '/': '{text}'");
        }
        var parts = text.TrimEnd('/').Split('/');
        var components = new List<MultiaddrComponent>();
        for (var i = 1; i < parts.Length; i++)
        {
            var protocol = MultiaddrProtocol.FromName(parts[i])
                ?? throw new FormatException($"unknown multiaddr protocol '{parts[i]}' in '{text}'");
            if (protocol.Size == 0)
            {
                components.Add(new MultiaddrComponent(protocol, []));
                continue;
            }
            if (++i >= parts.Length)
            {
                throw new FormatException($"multiaddr protocol '{protocol.Name}' lacks its value in '{text}'");
            }
            components.Add(MultiaddrComponent.FromText(protocol, parts[i]));
        }
        return new([.. components]);
    }

    public static bool TryParse(string text, out Multiaddr? address)
    {
        try
        {
            address = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            address = null;
            return false;
        }
    }

    /// <exception cref="FormatException">truncated bytes, bad lengths or an unknown protocol code.</exception>
    public static Multiaddr FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new FormatException("multiaddr bytes too long");
        }
        var components = new List<MultiaddrComponent>();
        while (!bytes.IsEmpty)
        {
            var code = Varint.Read(bytes, out var used);
            bytes = bytes[used..];
            var protocol = MultiaddrProtocol.FromCode(code)
                ?? throw new FormatException($"unknown multiaddr protocol code {code}");
            int size = protocol.Size;
            if (size == MultiaddrProtocol.Variable)
            {
                var length = Varint.Read(bytes, out used);
                bytes = bytes[used..];
                if (length > (ulong)bytes.Length)
                {
                    throw new FormatException($"multiaddr {protocol.Name} value truncated");
                }
                size = (int)length;
            }
            else if (size > bytes.Length)
            {
                throw new FormatException($"multiaddr {protocol.Name} value truncated");
            }
            components.Add(MultiaddrComponent.FromBinary(protocol, bytes[..size]));
            bytes = bytes[size..];
        }
        return new([.. components]);
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Span<byte> varint = stackalloc byte[Varint.MaxLength];
        foreach (var component in _components)
        {
            stream.Write(varint[..Varint.Write(varint, (ulong)component.Protocol.Code)]);
            if (component.Protocol.Size == MultiaddrProtocol.Variable)
            {
                stream.Write(varint[..Varint.Write(varint, (ulong)component.Value.Length)]);
            }
            stream.Write(component.Value);
        }
        return stream.ToArray();
    }

    public override string ToString() => string.Concat(_components.Select(c => c.ToString()));

    public Multiaddr Encapsulate(Multiaddr inner) => new([.. _components, .. inner._components]);

    public Multiaddr Encapsulate(MultiaddrComponent component) => new([.. _components, component]);

    /// <summary>The peer id of a trailing /p2p component, if any.</summary>
    public PeerId? PeerId =>
        _components.Length > 0 && _components[^1].Protocol == MultiaddrProtocol.P2p
            ? Identity.PeerId.FromBytes(_components[^1].Value)
            : null;

    /// <summary>This address without a trailing /p2p component.</summary>
    public Multiaddr WithoutPeerId() =>
        _components.Length > 0 && _components[^1].Protocol == MultiaddrProtocol.P2p ? new(_components[..^1]) : this;

    /// <summary>This address ending in /p2p/<paramref name="peer"/>.</summary>
    public Multiaddr WithPeerId(PeerId peer) => WithoutPeerId().Encapsulate(MultiaddrComponent.FromPeerId(peer));

    public static Multiaddr FromEndPoint(IPEndPoint endPoint) =>
        new([MultiaddrComponent.FromIPAddress(endPoint.Address), MultiaddrComponent.FromTcpPort(endPoint.Port)]);

    /// <summary>For /ip4|ip6|dns|dns4|dns6/…/tcp/port[/p2p/…]: host text (IP or DNS name), port and the address family constraint.</summary>
    public bool TryGetTcpTarget(out string host, out int port, out System.Net.Sockets.AddressFamily family)
    {
        host = "";
        port = 0;
        family = System.Net.Sockets.AddressFamily.Unspecified;
        var parts = WithoutPeerId()._components;
        if (parts.Length != 2 || parts[1].Protocol != MultiaddrProtocol.Tcp)
        {
            return false;
        }
        port = BinaryPrimitives.ReadUInt16BigEndian(parts[1].Value);
        var first = parts[0];
        host = first.ValueText;
        switch (first.Protocol.Code)
        {
            case 4 or 54:
                family = System.Net.Sockets.AddressFamily.InterNetwork;
                return true;
            case 41 or 55:
                family = System.Net.Sockets.AddressFamily.InterNetworkV6;
                return true;
            case 53:
                return true;
            default:
                return false;
        }
    }

    /// <summary>The IP endpoint of an /ip4|ip6/…/tcp/… address, or null (DNS names need resolving first).</summary>
    public IPEndPoint? ToIPEndPoint()
    {
        if (!TryGetTcpTarget(out var host, out var port, out _) || !IPAddress.TryParse(host, out var ip)
            || _components[0].Protocol.Size != 4 && _components[0].Protocol.Size != 16)
        {
            return null;
        }
        return new IPEndPoint(ip, port);
    }

    public bool Equals(Multiaddr? other) => other is not null && _components.AsSpan().SequenceEqual(other._components);

    public override bool Equals(object? obj) => obj is Multiaddr other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var component in _components)
        {
            hash.Add(component);
        }
        return hash.ToHashCode();
    }

    public static bool operator ==(Multiaddr? left, Multiaddr? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(Multiaddr? left, Multiaddr? right) => !(left == right);
}
