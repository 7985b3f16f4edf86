using System.Globalization;

namespace P2P.Inference.Models;

/// <summary>
/// A model named by shape and seed instead of a file: "seed:preset=stories15m,seed=42" or
/// "seed:dim=288,layers=6,heads=6,kv_heads=6,ffn=768,vocab=32000,seed=7". Keys: preset, seed, dim, layers, heads,
/// kv_heads, ffn, vocab, max_seq, theta, tied (0/1). Weights come from <see cref="SeededTensorSource"/>.
/// </summary>
public sealed record SeededModelSpec(ModelConfig Config, ulong Seed)
{
    public const string Prefix = "seed:";

    public static readonly IReadOnlyDictionary<string, ModelConfig> Presets = new Dictionary<string, ModelConfig>
    {
        ["tiny"] = Shape(64, 2, 4, 2, 160, 256, 256),
        ["stories15m"] = Shape(288, 6, 6, 6, 768, 32000, 256),
        ["llama110m"] = Shape(768, 12, 12, 12, 2048, 32000, 1024),
    };

    public static bool IsSpec(string text) => text.StartsWith(Prefix, StringComparison.Ordinal);

    public static ModelConfig Shape(int dim, int layers, int heads, int kvHeads, int ffn, int vocab, int maxSeq) => new()
    {
        HiddenSize = dim,
        NumLayers = layers,
        NumHeads = heads,
        NumKvHeads = kvHeads,
        IntermediateSize = ffn,
        VocabSize = vocab,
        MaxPositions = maxSeq,
        RmsNormEps = 1e-5f,
        RopeTheta = 10000.0,
        TieWordEmbeddings = true,
    };

    public static SeededModelSpec Parse(string text)
    {
        if (!IsSpec(text)) throw new FormatException($"a seeded model spec starts with '{Prefix}': {text}");
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text[Prefix.Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new FormatException($"seeded model spec: '{part}' is not key=value");
            pairs[part[..eq]] = part[(eq + 1)..];
        }
        var config = pairs.Remove("preset", out var preset)
            ? Presets.TryGetValue(preset, out var p) ? p : throw new FormatException($"unknown preset '{preset}' (known: {string.Join(", ", Presets.Keys)})")
            : Presets["tiny"];
        ulong seed = 0;
        foreach (var (key, value) in pairs)
        {
            int Int() => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new FormatException($"seeded model spec: {key}={value} is not an integer");
            config = key switch
            {
                "seed" => config,
                "dim" => config with { HiddenSize = Int() },
                "layers" => config with { NumLayers = Int() },
                "heads" => config with { NumHeads = Int(), NumKvHeads = pairs.ContainsKey("kv_heads") ? config.NumKvHeads : Int() },
                "kv_heads" => config with { NumKvHeads = Int() },
                "ffn" => config with { IntermediateSize = Int() },
                "vocab" => config with { VocabSize = Int() },
                "max_seq" => config with { MaxPositions = Int() },
                "theta" => config with { RopeTheta = double.Parse(value, CultureInfo.InvariantCulture) },
                "tied" => config with { TieWordEmbeddings = value != "0" },
                _ => throw new FormatException($"seeded model spec: unknown key '{key}'"),
            };
            if (key == "seed" && !ulong.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
                throw new FormatException($"seeded model spec: seed={value} is not an unsigned integer");
        }
        config.Validate();
        return new SeededModelSpec(config, seed);
    }

    public override string ToString() =>
        FormattableString.Invariant(
            $"{Prefix}dim={Config.HiddenSize},layers={Config.NumLayers},heads={Config.NumHeads},kv_heads={Config.NumKvHeads},ffn={Config.IntermediateSize},vocab={Config.VocabSize},max_seq={Config.MaxPositions},theta={Config.RopeTheta},tied={(Config.TieWordEmbeddings ? 1 : 0)},seed={Seed}");
}
