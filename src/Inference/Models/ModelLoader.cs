namespace P2P.Inference.Models;

/// <summary>Loads a model (or a shard of it) from a Hugging Face directory or a seeded-model spec.</summary>
public static class ModelLoader
{
    public static ModelConfig LoadConfig(string modelSpec)
    {
        if (SeededModelSpec.IsSpec(modelSpec)) return SeededModelSpec.Parse(modelSpec).Config;
        string path = Path.Combine(modelSpec, "config.json");
        if (!File.Exists(path)) throw new ModelFormatException($"{modelSpec}: no config.json");
        return ModelConfig.FromJson(File.ReadAllText(path));
    }

    /// <summary>Loads the weights of layers `range` (the whole model when null).</summary>
    public static TransformerWeights Load(string modelSpec, ShardRange? range = null)
    {
        if (SeededModelSpec.IsSpec(modelSpec))
        {
            var spec = SeededModelSpec.Parse(modelSpec);
            using var seeded = new SeededTensorSource(spec.Seed);
            return TransformerWeights.Load(spec.Config, range ?? ShardRange.Full(spec.Config), seeded);
        }
        var config = LoadConfig(modelSpec);
        using var source = new CheckpointSource(modelSpec);
        return TransformerWeights.Load(config, range ?? ShardRange.Full(config), source);
    }
}
