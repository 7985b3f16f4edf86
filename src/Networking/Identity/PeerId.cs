using System.Security.Cryptography;
using P2P.Networking.Encoding;

namespace P2P.Networking.Identity;

/// <summary>A libp2p peer id: the multihash of a marshalled PublicKey, compared by value.</summary>
public sealed class PeerId : IEquatable<PeerId>
{
    private const int IdentityCode = 0x00;
    private const int Sha256Code = 0x12;
    private const int MaxInlineKeyLength = 42;
    private const int MaxLength = 128;
    private const byte CidVersion1 = 0x01;
    private const byte Libp2pKeyCodec = 0x72;

    private readonly byte[] _multihash;
    private readonly int _hashCode;

    private PeerId(byte[] multihash)
    {
        _multihash = multihash;
        _hashCode = ComputeHashCode(multihash);
    }

    /// <summary>The multihash bytes (the binary form used on the wire).</summary>
    public ReadOnlySpan<byte> Bytes => _multihash;

    public byte[] ToByteArray() => (byte[])_multihash.Clone();

    /// <summary>Identity multihash for keys up to 42 bytes (Ed25519), SHA-256 otherwise, as the peer-id spec says.</summary>
    public static PeerId FromPublicKey(ReadOnlySpan<byte> marshalledPublicKey)
    {
        if (marshalledPublicKey.Length <= MaxInlineKeyLength)
        {
            var inline = new byte[2 + marshalledPublicKey.Length];
            inline[0] = IdentityCode;
            inline[1] = (byte)marshalledPublicKey.Length;
            marshalledPublicKey.CopyTo(inline.AsSpan(2));
            return new PeerId(inline);
        }
        var hashed = new byte[34];
        hashed[0] = Sha256Code;
        hashed[1] = 32;
        SHA256.HashData(marshalledPublicKey, hashed.AsSpan(2));
        return new PeerId(hashed);
    }

    /// <exception cref="FormatException">not an identity or SHA-256 multihash of the right length.</exception>
    public static PeerId FromBytes(ReadOnlySpan<byte> multihash)
    {
        if (multihash.Length is < 2 or > MaxLength)
        {
            throw new FormatException($"peer id multihash of {multihash.Length} bytes");
        }
        var code = Varint.Read(multihash, out var codeLength);
        var digestLength = Varint.Read(multihash[codeLength..], out var lengthLength);
        var digest = multihash.Length - codeLength - lengthLength;
        if ((ulong)digest != digestLength)
        {
            throw new FormatException("peer id multihash length does not match its digest");
        }
        if (code == Sha256Code ? digest != 32 : code != IdentityCode || digest > MaxInlineKeyLength)
        {
            throw new FormatException($"unsupported peer id multihash (code 0x{code:x}, {digest} bytes)");
        }
        return new PeerId(multihash.ToArray());
    }

    /// <summary>Parses the base58btc text form (<c>12D3KooW…</c>, <c>Qm…</c>) or a CIDv1 <c>libp2p-key</c> in multibase base32 (<c>bafz…</c>).</summary>
    public static PeerId Parse(string text)
    {
        if (text.Length > 0 && (text[0] == 'b' || text[0] == 'B'))
        {
            return FromCid(Base32.Decode(text[1..]));
        }
        return FromBytes(Base58.Decode(text));
    }

    /// <summary>The CIDv1 text form: multibase base32 of <c>0x01 ‖ 0x72 (libp2p-key) ‖ multihash</c>.</summary>
    public string ToCidString() => "b" + Base32.Encode([CidVersion1, Libp2pKeyCodec, .. _multihash]);

    private static PeerId FromCid(ReadOnlySpan<byte> cid)
    {
        var version = Varint.Read(cid, out var used);
        if (version != CidVersion1)
        {
            throw new FormatException($"peer id CID version {version}, expected 1");
        }
        var codec = Varint.Read(cid[used..], out var codecLength);
        if (codec != Libp2pKeyCodec)
        {
            throw new FormatException($"peer id CID codec 0x{codec:x}, expected libp2p-key (0x72)");
        }
        return FromBytes(cid[(used + codecLength)..]);
    }

    public static bool TryParse(string text, out PeerId? peerId)
    {
        try
        {
            peerId = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            peerId = null;
            return false;
        }
    }

    /// <summary>The marshalled public key when it is inlined (identity multihash), else null.</summary>
    public byte[]? TryGetInlinePublicKey() =>
        _multihash[0] == IdentityCode ? _multihash.AsSpan(2).ToArray() : null;

    public override string ToString() => Base58.Encode(_multihash);

    public bool Equals(PeerId? other) => other is not null && _multihash.AsSpan().SequenceEqual(other._multihash);

    public override bool Equals(object? obj) => obj is PeerId other && Equals(other);

    public override int GetHashCode() => _hashCode;

    public static bool operator ==(PeerId? left, PeerId? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(PeerId? left, PeerId? right) => !(left == right);

    private static int ComputeHashCode(byte[] bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
