using P2P.Inference.Models;

namespace P2P.Inference.Tokenizers;

/// <summary>
/// A model's prompt rules: text becomes its tokenizer's ids, after the beginning-of-sequence token when the model is a
/// Hugging Face (BPE) checkpoint whose config names one; seeded byte models have no BOS.
/// </summary>
public sealed class PromptEncoder(ITokenizer tokenizer, int? bosTokenId)
{
    public ITokenizer Tokenizer { get; } = tokenizer;

    /// <summary>The token put before every prompt, or null.</summary>
    public int? BosTokenId { get; } = bosTokenId;

    /// <summary>The encoder for a model directory or seed spec; null when the model has no tokenizer.</summary>
    public static PromptEncoder? ForModel(string modelSpec, ModelConfig config) =>
        TokenizerLoader.ForModel(modelSpec) is { } tokenizer
            ? new PromptEncoder(tokenizer, tokenizer is BpeTokenizer ? config.BosTokenId : null)
            : null;

    public int[] Encode(string text)
    {
        var ids = Tokenizer.Encode(text);
        return BosTokenId is { } bos ? [bos, .. ids] : ids;
    }
}
