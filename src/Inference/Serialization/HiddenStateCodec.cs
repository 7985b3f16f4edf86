using System.Buffers.Binary;

namespace P2P.Inference.Serialization;

/// <summary>
/// Wire format of hidden states sent between peers running consecutive shards:
/// "P2PH" | version u8 = 1 | format u8 (0 f32, 1 bf16) | reserved u16 = 0 | rows u32 LE | dim u32 LE | rows·dim
/// elements little-endian. Decoding checks every field and the exact length against caller-given limits.
/// </summary>
public static class HiddenStateCodec
{
    public const int HeaderSize = 16;
    public const byte Version = 1;
    private static ReadOnlySpan<byte> Magic => "P2PH"u8;

    public static byte[] Encode(ReadOnlySpan<float> values, int rows, int dim, HiddenStateFormat format)
    {
        if (rows <= 0 || dim <= 0 || (long)rows * dim != values.Length)
            throw new ArgumentException($"hidden states of {values.Length} floats are not {rows} × {dim}");
        int elementSize = format == HiddenStateFormat.Float32 ? 4 : 2;
        var output = new byte[HeaderSize + (long)values.Length * elementSize];
        Magic.CopyTo(output);
        output[4] = Version;
        output[5] = (byte)format;
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(8), (uint)rows);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(12), (uint)dim);
        var payload = output.AsSpan(HeaderSize);
        for (int i = 0; i < values.Length; i++)
        {
            if (format == HiddenStateFormat.Float32) BinaryPrimitives.WriteSingleLittleEndian(payload[(i * 4)..], values[i]);
            else BinaryPrimitives.WriteUInt16LittleEndian(payload[(i * 2)..], ToBFloat16(values[i]));
        }
        return output;
    }

    /// <summary>Decodes hidden states; rejects anything malformed, over maxElements, or (when given) of another dim.</summary>
    public static float[] Decode(ReadOnlySpan<byte> data, out int rows, out int dim, int? expectedDim = null, int maxElements = 1 << 26)
    {
        if (data.Length < HeaderSize) throw new FormatException($"hidden states: {data.Length} bytes is shorter than the {HeaderSize}-byte header");
        if (!data[..4].SequenceEqual(Magic)) throw new FormatException("hidden states: bad magic");
        if (data[4] != Version) throw new FormatException($"hidden states: unsupported version {data[4]}");
        if (data[5] > (byte)HiddenStateFormat.BFloat16) throw new FormatException($"hidden states: unknown element format {data[5]}");
        if (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) != 0) throw new FormatException("hidden states: reserved bytes are not zero");
        var format = (HiddenStateFormat)data[5];
        uint r = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]), d = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        if (r == 0 || d == 0) throw new FormatException("hidden states: empty shape");
        if ((ulong)r * d > (ulong)maxElements) throw new FormatException($"hidden states: {r} × {d} exceeds the limit of {maxElements} elements");
        if (expectedDim is { } e && d != e) throw new FormatException($"hidden states: dim {d}, this shard expects {e}");
        int count = (int)(r * d), elementSize = format == HiddenStateFormat.Float32 ? 4 : 2;
        if (data.Length != HeaderSize + (long)count * elementSize)
            throw new FormatException($"hidden states: {data.Length} bytes, expected {HeaderSize + (long)count * elementSize} for {r} × {d} {format}");
        var payload = data[HeaderSize..];
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = format == HiddenStateFormat.Float32
                ? BinaryPrimitives.ReadSingleLittleEndian(payload[(i * 4)..])
                : BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(payload[(i * 2)..]) << 16);
        }
        rows = (int)r;
        dim = (int)d;
        return values;
    }

    /// <summary>float → bfloat16 bits, round-to-nearest-even; NaN stays a (quiet) NaN of the same sign.</summary>
    public static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }
}
