namespace P2P.Inference.Models;

/// <summary>One entry of a safetensors header: dtype, shape and byte range relative to the data section.</summary>
public sealed record SafetensorsTensor(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Bytes per element for the dtypes the format defines, or 0 for an unknown dtype.</summary>
    public static int ElementSize(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };
}
