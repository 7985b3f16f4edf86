using System.Buffers.Binary;

namespace P2P.Storage;

/// <summary>Builds and reads keys of the form <c>prefix ‖ big-endian integer</c> and/or <c>prefix ‖ bytes</c>, so byte order equals numeric order.</summary>
public static class RecordKey
{
    public static byte[] For(RecordFamily family) => [family.Prefix];

    public static byte[] For(RecordFamily family, ulong number)
    {
        var key = new byte[1 + sizeof(ulong)];
        key[0] = family.Prefix;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), number);
        return key;
    }

    public static byte[] For(RecordFamily family, ReadOnlySpan<byte> id)
    {
        var key = new byte[1 + id.Length];
        key[0] = family.Prefix;
        id.CopyTo(key.AsSpan(1));
        return key;
    }

    public static byte[] For(RecordFamily family, ulong number, ReadOnlySpan<byte> id)
    {
        var key = new byte[1 + sizeof(ulong) + id.Length];
        key[0] = family.Prefix;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), number);
        id.CopyTo(key.AsSpan(1 + sizeof(ulong)));
        return key;
    }

    /// <summary>The big-endian integer right after the prefix of a key made by <see cref="For(RecordFamily, ulong)"/>.</summary>
    public static ulong ReadNumber(ReadOnlySpan<byte> key)
    {
        if (key.Length < 1 + sizeof(ulong)) throw new ArgumentException($"key of {key.Length} bytes has no integer part", nameof(key));
        return BinaryPrimitives.ReadUInt64BigEndian(key[1..]);
    }

    /// <summary>The key without its family prefix.</summary>
    public static ReadOnlySpan<byte> Suffix(ReadOnlySpan<byte> key) => key.IsEmpty ? key : key[1..];
}
