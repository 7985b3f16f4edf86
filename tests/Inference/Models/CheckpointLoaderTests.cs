using System.Text;
using P2P.Inference.Kernels;
using P2P.Inference.Models;
using P2P.Inference.Runtime;
using P2P.Inference.Tests.Support;
using P2P.Testing;

namespace P2P.Inference.Tests.Models;

public class CheckpointLoaderTests
{
    private const string Spec = "seed:dim=32,layers=2,heads=4,kv_heads=2,ffn=48,vocab=64,max_seq=64,seed=11";

    private static readonly string ConfigJson = """
        {"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":32,"intermediate_size":48,"num_hidden_layers":2,
         "num_attention_heads":4,"num_key_value_heads":2,"vocab_size":64,"max_position_embeddings":64,"rms_norm_eps":1e-05,
         "rope_theta":10000.0,"tie_word_embeddings":true,"hidden_act":"silu","bos_token_id":1,"eos_token_id":2}
        """;

    private static List<(string Name, long[] Shape, float[] Data)> SeededTensors()
    {
        var spec = SeededModelSpec.Parse(Spec);
        using var source = new SeededTensorSource(spec.Seed);
        return SafetensorsWriter.HuggingFaceTensors(spec.Config, source).ToList();
    }

    private static TempDirectory WriteCheckpoint(IEnumerable<(string, long[], float[])> tensors, string dtype = "F32")
    {
        var dir = new TempDirectory();
        File.WriteAllText(dir.Sub("config.json"), ConfigJson);
        SafetensorsWriter.Write(dir.Sub("model.safetensors"), tensors, dtype);
        return dir;
    }

    private static float[] Logits(string model)
    {
        using var shard = new TransformerShard(ModelLoader.Load(model), new CpuBackend(ComputeMode.Deterministic, 1));
        using var session = shard.CreateSession();
        var hidden = shard.Embed([1, 5, 9, 13]);
        shard.Forward([session], [4], hidden);
        return shard.Logits(hidden, [3]);
    }

    [Fact]
    public void CheckpointWrittenFromASeed_LoadsToTheSameWeightsAndLogits()
    {
        using var dir = WriteCheckpoint(SeededTensors());
        using (var fromFile = ModelLoader.Load(dir.Path))
        using (var fromSeed = ModelLoader.Load(Spec))
            Assert.Equal(fromSeed.ComputeHash(), fromFile.ComputeHash());
        Assert.Equal(Hashing.Of(Logits(Spec)), Hashing.Of(Logits(dir.Path)));
    }

    [Theory]
    [InlineData("F16", 2e-2f)]
    [InlineData("BF16", 1e-1f)]
    public void HalfPrecisionCheckpoints_Load_AndAgreeWithFloat32(string dtype, float tolerance)
    {
        using var dir = WriteCheckpoint(SeededTensors(), dtype);
        var reference = Logits(Spec);
        var actual = Logits(dir.Path);
        Assert.NotEqual(Hashing.Of(reference), Hashing.Of(actual));
        Assert.All(reference.Zip(actual), p => Assert.True(MathF.Abs(p.First - p.Second) < tolerance, $"{p.First} vs {p.Second}"));
    }

    [Fact]
    public void ShardedIndexCheckpoint_GivesTheBitsOfASingleFile()
    {
        var tensors = SeededTensors();
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Sub("config.json"), ConfigJson);
        var firstHalf = tensors.Take(tensors.Count / 2).ToList();
        var secondHalf = tensors.Skip(tensors.Count / 2).ToList();
        SafetensorsWriter.Write(dir.Sub("model-00001-of-00002.safetensors"), firstHalf);
        SafetensorsWriter.Write(dir.Sub("model-00002-of-00002.safetensors"), secondHalf);
        var map = firstHalf.Select(t => $"\"{t.Name}\":\"model-00001-of-00002.safetensors\"")
            .Concat(secondHalf.Select(t => $"\"{t.Name}\":\"model-00002-of-00002.safetensors\""));
        File.WriteAllText(dir.Sub("model.safetensors.index.json"), $"{{\"metadata\":{{}},\"weight_map\":{{{string.Join(",", map)}}}}}");
        Assert.Equal(Hashing.Of(Logits(Spec)), Hashing.Of(Logits(dir.Path)));
    }

    [Fact]
    public void TruncatedFile_IsRejected_NamingTheTensor()
    {
        using var dir = WriteCheckpoint(SeededTensors());
        var bytes = File.ReadAllBytes(dir.Sub("model.safetensors"));
        File.WriteAllBytes(dir.Sub("model.safetensors"), bytes[..^100]);
        var error = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(dir.Path));
        Assert.Contains("truncated", error.Message);
        Assert.Contains("model.norm.weight", error.Message);

        File.WriteAllBytes(dir.Sub("model.safetensors"), bytes[..6]);
        Assert.Contains("truncated", Assert.Throws<ModelFormatException>(() => ModelLoader.Load(dir.Path)).Message);
    }

    [Fact]
    public void HeaderWithOverlappingOffsets_IsRejected_NamingBothTensors()
    {
        string header = """
            {"a.weight":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},
             "b.weight":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}
            """;
        var error = Assert.Throws<ModelFormatException>(() => SafetensorsFile.ParseHeader("x.safetensors", Encoding.UTF8.GetBytes(header), 24));
        Assert.Contains("overlapping", error.Message);
        Assert.Contains("'a.weight'", error.Message);
        Assert.Contains("'b.weight'", error.Message);

        using var dir = new TempDirectory();
        var headerBytes = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(dir.Sub("model.safetensors"), [.. BitConverter.GetBytes((long)headerBytes.Length), .. headerBytes, .. new byte[24]]);
        Assert.Contains("overlapping", Assert.Throws<ModelFormatException>(() => SafetensorsFile.Open(dir.Sub("model.safetensors"))).Message);
    }

    [Fact]
    public void WrongShapeTensor_IsRejected_NamingTheTensor()
    {
        var tensors = SeededTensors();
        int index = tensors.FindIndex(t => t.Name == "model.layers.1.mlp.up_proj.weight");
        tensors[index] = (tensors[index].Name, [32, 48], tensors[index].Data);
        using var dir = WriteCheckpoint(tensors);
        var error = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(dir.Path));
        Assert.Contains("'model.layers.1.mlp.up_proj.weight'", error.Message);
        Assert.Contains("[32, 48]", error.Message);
        Assert.Contains("[48, 32]", error.Message);
    }

    [Fact]
    public void MissingTensorsUnsupportedDtypesAndByteCountMismatches_AreRejected()
    {
        using (var dir = WriteCheckpoint(SeededTensors().Where(t => t.Name != "model.layers.0.self_attn.v_proj.weight")))
            Assert.Contains("missing tensor 'model.layers.0.self_attn.v_proj.weight'", Assert.Throws<ModelFormatException>(() => ModelLoader.Load(dir.Path)).Message);
        // A shard that does not need the missing layer still loads.
        using (var dir = WriteCheckpoint(SeededTensors().Where(t => t.Name != "model.layers.0.self_attn.v_proj.weight")))
        using (var shard = ModelLoader.Load(dir.Path, new ShardRange(1, 2)))
            Assert.Single(shard.Layers);

        string header = """{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"v":{"dtype":"F32","shape":[3],"data_offsets":[16,24]}}""";
        var error = Assert.Throws<ModelFormatException>(() => SafetensorsFile.ParseHeader("y.safetensors", Encoding.UTF8.GetBytes(header), 24));
        Assert.Contains("'v'", error.Message);
        string overflowing = """{"big":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,0]}}""";
        Assert.Contains("'big'", Assert.Throws<ModelFormatException>(() => SafetensorsFile.ParseHeader("z.safetensors", Encoding.UTF8.GetBytes(overflowing), 0)).Message);
        Assert.Throws<ModelFormatException>(() => SafetensorsFile.ParseHeader("z.safetensors", "not json"u8, 0));

        var tensors = SeededTensors();
        using var f64 = WriteCheckpoint(tensors);
        var bytes = File.ReadAllBytes(f64.Sub("model.safetensors"));
        long headerLength = BitConverter.ToInt64(bytes);
        string text = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        // Relabel the final norm (32 floats = 128 bytes) as 16 F64 values: same bytes, unsupported dtype.
        string relabelled = text.Replace("\"model.norm.weight\":{\"dtype\":\"F32\",\"shape\":[32]", "\"model.norm.weight\":{\"dtype\":\"F64\",\"shape\":[16]");
        Assert.NotEqual(text, relabelled);
        File.WriteAllBytes(f64.Sub("model.safetensors"), [.. bytes[..8], .. Encoding.UTF8.GetBytes(relabelled), .. bytes[(8 + (int)headerLength)..]]);
        var dtypeError = Assert.Throws<ModelFormatException>(() => ModelLoader.Load(f64.Path));
        Assert.Contains("'model.norm.weight'", dtypeError.Message);
        Assert.Contains("F64", dtypeError.Message);
    }

    [Theory]
    [InlineData("\"architectures\":[\"LlamaForCausalLM\"]", "\"architectures\":[\"GPT2LMHeadModel\"]", "unsupported architecture GPT2LMHeadModel")]
    [InlineData("\"hidden_act\":\"silu\"", "\"hidden_act\":\"gelu\"", "unsupported hidden_act")]
    [InlineData("\"num_key_value_heads\":2", "\"num_key_value_heads\":3", "not a multiple")]
    [InlineData("\"hidden_size\":32,", "", "hidden_size")]
    [InlineData("\"rope_theta\":10000.0", "\"rope_theta\":10000.0,\"rope_scaling\":{\"type\":\"llama3\"}", "rope_scaling")]
    public void UnsupportedOrInvalidConfigs_AreRejected_WithAReason(string from, string to, string expected)
    {
        string json = ConfigJson.Replace(from, to);
        Assert.NotEqual(ConfigJson, json);
        Assert.Contains(expected, Assert.Throws<ModelFormatException>(() => ModelConfig.FromJson(json)).Message);
    }
}
