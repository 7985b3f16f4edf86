using System.Text.Json;

namespace P2P.Inference.Models;

/// <summary>The shape and hyper-parameters of a Llama-family model (the fields of a Hugging Face LlamaConfig we use).</summary>
public sealed record ModelConfig
{
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }
    public required int NumKvHeads { get; init; }
    public required int VocabSize { get; init; }
    public int MaxPositions { get; init; } = 2048;
    public float RmsNormEps { get; init; } = 1e-5f;
    public double RopeTheta { get; init; } = 10000.0;
    public bool TieWordEmbeddings { get; init; }
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? HeadDimOverride { get; init; }

    public int HeadDim => HeadDimOverride ?? HiddenSize / NumHeads;
    public int QueryDim => NumHeads * HeadDim;
    public int KvDim => NumKvHeads * HeadDim;

    /// <summary>Weights in the transformer (embedding counted once when tied).</summary>
    public long ParameterCount
    {
        get
        {
            long perLayer = 2L * HiddenSize + (long)HiddenSize * (QueryDim + 2 * KvDim) + (long)QueryDim * HiddenSize
                            + 3L * HiddenSize * IntermediateSize;
            long embeddings = (long)VocabSize * HiddenSize * (TieWordEmbeddings ? 1 : 2);
            return perLayer * NumLayers + embeddings + HiddenSize;
        }
    }

    public void Validate()
    {
        void Positive(int value, string name)
        {
            if (value <= 0) throw new ModelFormatException($"config: {name} must be positive, got {value}");
        }
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumLayers, "num_hidden_layers");
        Positive(NumHeads, "num_attention_heads");
        Positive(NumKvHeads, "num_key_value_heads");
        Positive(VocabSize, "vocab_size");
        Positive(MaxPositions, "max_position_embeddings");
        if (HeadDimOverride is null && HiddenSize % NumHeads != 0)
            throw new ModelFormatException($"config: hidden_size {HiddenSize} is not divisible by num_attention_heads {NumHeads}");
        if (HeadDim % 2 != 0) throw new ModelFormatException($"config: head dimension {HeadDim} must be even for RoPE");
        if (NumHeads % NumKvHeads != 0)
            throw new ModelFormatException($"config: num_attention_heads {NumHeads} is not a multiple of num_key_value_heads {NumKvHeads}");
        if (!(RmsNormEps > 0)) throw new ModelFormatException("config: rms_norm_eps must be positive");
        if (!(RopeTheta > 0)) throw new ModelFormatException("config: rope_theta must be positive");
        if (HiddenSize > 1 << 16 || IntermediateSize > 1 << 18 || VocabSize > 1 << 22 || NumLayers > 1024 || MaxPositions > 1 << 20)
            throw new ModelFormatException("config: dimensions exceed the engine's limits");
    }

    private static readonly string[] SupportedArchitectures = ["LlamaForCausalLM"];

    /// <summary>Parses a Hugging Face config.json, rejecting architectures and options the engine does not implement.</summary>
    public static ModelConfig FromJson(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"config.json is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ModelFormatException("config.json must be a JSON object");
            string? modelType = GetString(root, "model_type");
            var architectures = root.TryGetProperty("architectures", out var arch) && arch.ValueKind == JsonValueKind.Array
                ? arch.EnumerateArray().Select(a => a.GetString() ?? "").ToArray()
                : [];
            bool supported = architectures.Length > 0 ? architectures.Any(SupportedArchitectures.Contains) : modelType == "llama";
            if (!supported)
                throw new ModelFormatException(
                    $"unsupported architecture {(architectures.Length > 0 ? string.Join(",", architectures) : modelType ?? "(none)")}: supported are {string.Join(", ", SupportedArchitectures)}");
            string activation = GetString(root, "hidden_act") ?? "silu";
            if (activation != "silu") throw new ModelFormatException($"unsupported hidden_act '{activation}': only silu");
            if (root.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind != JsonValueKind.Null)
                throw new ModelFormatException("unsupported rope_scaling: only plain RoPE is implemented");
            if (GetBool(root, "attention_bias") == true || GetBool(root, "mlp_bias") == true)
                throw new ModelFormatException("unsupported attention_bias/mlp_bias: Llama projections have no bias");
            int heads = GetInt(root, "num_attention_heads") ?? throw Missing("num_attention_heads");
            var config = new ModelConfig
            {
                HiddenSize = GetInt(root, "hidden_size") ?? throw Missing("hidden_size"),
                IntermediateSize = GetInt(root, "intermediate_size") ?? throw Missing("intermediate_size"),
                NumLayers = GetInt(root, "num_hidden_layers") ?? throw Missing("num_hidden_layers"),
                NumHeads = heads,
                NumKvHeads = GetInt(root, "num_key_value_heads") ?? heads,
                VocabSize = GetInt(root, "vocab_size") ?? throw Missing("vocab_size"),
                MaxPositions = GetInt(root, "max_position_embeddings") ?? 2048,
                RmsNormEps = (float)(GetDouble(root, "rms_norm_eps") ?? 1e-6),
                RopeTheta = GetDouble(root, "rope_theta") ?? 10000.0,
                TieWordEmbeddings = GetBool(root, "tie_word_embeddings") ?? false,
                BosTokenId = GetInt(root, "bos_token_id"),
                EosTokenIds = GetIntList(root, "eos_token_id"),
                HeadDimOverride = GetInt(root, "head_dim"),
            };
            config.Validate();
            return config;
        }
    }

    private static ModelFormatException Missing(string name) => new($"config.json lacks required field '{name}'");

    private static string? GetString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? GetInt(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int value))
            throw new ModelFormatException($"config.json field '{name}' must be an integer");
        return value;
    }

    private static double? GetDouble(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number) throw new ModelFormatException($"config.json field '{name}' must be a number");
        return v.GetDouble();
    }

    private static bool? GetBool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static IReadOnlyList<int> GetIntList(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v)) return [];
        return v.ValueKind switch
        {
            JsonValueKind.Number => [v.GetInt32()],
            JsonValueKind.Array => v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetInt32()).ToArray(),
            _ => [],
        };
    }
}
