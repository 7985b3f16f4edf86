using System.Text;
using System.Text.Json;

namespace P2P.Inference.Models;

/// <summary>Writes float tensors as a .safetensors file (F32, F16 or BF16), e.g. to export a seeded model.</summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IEnumerable<(string Name, long[] Shape, float[] Data)> tensors, string dtype = "F32")
    {
        int size = dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            _ => throw new ArgumentException($"cannot write dtype {dtype}"),
        };
        var list = tensors.ToList();
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (name, shape, data) in list)
        {
            header[name] = new { dtype, shape, data_offsets = new[] { offset, offset + (long)data.Length * size } };
            offset += (long)data.Length * size;
        }
        var headerBytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padding = (8 - headerBytes.Length % 8) % 8;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var writer = new BinaryWriter(stream);
        writer.Write((long)(headerBytes.Length + padding));
        writer.Write(headerBytes);
        for (int i = 0; i < padding; i++) writer.Write((byte)' ');
        foreach (var (_, _, data) in list)
        {
            var bytes = new byte[(long)data.Length * size];
            for (int i = 0; i < data.Length; i++)
            {
                switch (dtype)
                {
                    case "F32": BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), data[i]); break;
                    case "F16": BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), BitConverter.HalfToUInt16Bits((Half)data[i])); break;
                    default: BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), Serialization.HiddenStateCodec.ToBFloat16(data[i])); break;
                }
            }
            writer.Write(bytes);
        }
    }

    /// <summary>The Hugging Face tensors of a whole model from any source (e.g. a seed), for writing out.</summary>
    public static IEnumerable<(string Name, long[] Shape, float[] Data)> HuggingFaceTensors(ModelConfig c, ITensorSource source)
    {
        (string, long[], float[]) Read(string name, params int[] shape) => ReadTensor(source, name, shape);
        yield return Read("model.embed_tokens.weight", c.VocabSize, c.HiddenSize);
        for (int i = 0; i < c.NumLayers; i++)
        {
            string p = $"model.layers.{i}.";
            yield return Read(p + "input_layernorm.weight", c.HiddenSize);
            yield return Read(p + "self_attn.q_proj.weight", c.QueryDim, c.HiddenSize);
            yield return Read(p + "self_attn.k_proj.weight", c.KvDim, c.HiddenSize);
            yield return Read(p + "self_attn.v_proj.weight", c.KvDim, c.HiddenSize);
            yield return Read(p + "self_attn.o_proj.weight", c.HiddenSize, c.QueryDim);
            yield return Read(p + "post_attention_layernorm.weight", c.HiddenSize);
            yield return Read(p + "mlp.gate_proj.weight", c.IntermediateSize, c.HiddenSize);
            yield return Read(p + "mlp.up_proj.weight", c.IntermediateSize, c.HiddenSize);
            yield return Read(p + "mlp.down_proj.weight", c.HiddenSize, c.IntermediateSize);
        }
        yield return Read("model.norm.weight", c.HiddenSize);
        if (!c.TieWordEmbeddings) yield return Read("lm_head.weight", c.VocabSize, c.HiddenSize);
    }

    private static unsafe (string, long[], float[]) ReadTensor(ITensorSource source, string name, int[] shape)
    {
        var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
        fixed (float* p = data) source.Read(name, shape, p);
        return (name, shape.Select(s => (long)s).ToArray(), data);
    }
}
