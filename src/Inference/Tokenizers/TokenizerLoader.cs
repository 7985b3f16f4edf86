namespace P2P.Inference.Tokenizers;

/// <summary>Picks a model's tokenizer: tokenizer.json when the directory has one, bytes for seeded models, none otherwise.</summary>
public static class TokenizerLoader
{
    public static ITokenizer? ForModel(string modelSpec)
    {
        if (Models.SeededModelSpec.IsSpec(modelSpec)) return new ByteTokenizer();
        string path = Path.Combine(modelSpec, "tokenizer.json");
        return File.Exists(path) ? BpeTokenizer.FromFile(path) : null;
    }
}
