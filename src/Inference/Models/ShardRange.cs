namespace P2P.Inference.Models;

/// <summary>The transformer layers [Start, End) a shard runs; Start = 0 adds the embeddings, End = L the final norm and head.</summary>
public readonly record struct ShardRange(int Start, int End)
{
    public int Count => End - Start;

    public static ShardRange Full(ModelConfig config) => new(0, config.NumLayers);

    public void Validate(ModelConfig config)
    {
        if (Start < 0 || End > config.NumLayers || Start >= End)
            throw new ArgumentOutOfRangeException(nameof(ShardRange), $"shard [{Start}, {End}) is not inside the model's {config.NumLayers} layers");
    }

    public override string ToString() => $"[{Start}, {End})";
}
