namespace P2P.Networking.Multiformats;

/// <summary>One multiaddr protocol from the multicodec table that this node understands.</summary>
public sealed class MultiaddrProtocol
{
    /// <summary>Value size for length-prefixed values.</summary>
    public const int Variable = -1;

    private MultiaddrProtocol(int code, string name, int size)
    {
        Code = code;
        Name = name;
        Size = size;
    }

    public int Code { get; }

    public string Name { get; }

    /// <summary>Value length in bytes; 0 for none, <see cref="Variable"/> for uvarint-length-prefixed.</summary>
    public int Size { get; }

    public static readonly MultiaddrProtocol Ip4 = new(4, "ip4", 4);
    public static readonly MultiaddrProtocol Tcp = new(6, "tcp", 2);
    public static readonly MultiaddrProtocol Ip6 = new(41, "ip6", 16);
    public static readonly MultiaddrProtocol Dns = new(53, "dns", Variable);
    public static readonly MultiaddrProtocol Dns4 = new(54, "dns4", Variable);
    public static readonly MultiaddrProtocol Dns6 = new(55, "dns6", Variable);
    public static readonly MultiaddrProtocol Dnsaddr = new(56, "dnsaddr", Variable);
    public static readonly MultiaddrProtocol Udp = new(273, "udp", 2);
    public static readonly MultiaddrProtocol P2pCircuit = new(290, "p2p-circuit", 0);
    public static readonly MultiaddrProtocol P2p = new(421, "p2p", Variable);
    public static readonly MultiaddrProtocol QuicV1 = new(461, "quic-v1", 0);

    private static readonly MultiaddrProtocol[] All = [Ip4, Tcp, Ip6, Dns, Dns4, Dns6, Dnsaddr, Udp, P2pCircuit, P2p, QuicV1];

    public static MultiaddrProtocol? FromCode(ulong code)
    {
        foreach (var protocol in All)
        {
            if ((ulong)protocol.Code == code)
            {
                return protocol;
            }
        }
        return null;
    }

    public static MultiaddrProtocol? FromName(string name)
    {
        if (name == "ipfs")
        {
            return P2p; // the old name of /p2p, still accepted in text
        }
        foreach (var protocol in All)
        {
            if (protocol.Name == name)
            {
                return protocol;
            }
        }
        return null;
    }

    public override string ToString() => Name;
}
