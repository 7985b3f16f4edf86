using P2P.Inference.Generation;

namespace P2P.InferenceNetwork.Generation;

/// <summary>
/// Turns each step's logits into the next token exactly as the engine's <c>Generator</c> does (same sampler, same stop
/// and length rules), so a token generated across the network has the bits of one generated locally.
/// </summary>
public sealed class TokenSelector(GenerationParameters parameters, int maxPositions)
{
    private readonly TokenSampler _sampler = new(parameters.Sampling);

    public int Generated { get; private set; }

    /// <param name="position">the session's position after the forward pass that produced <paramref name="logits"/>.</param>
    public SelectedToken Next(ReadOnlySpan<float> logits, int position)
    {
        if (parameters.MaxTokens == 0) return new(null, null, "length");
        int token = _sampler.Sample(logits);
        if (parameters.StopTokens.Contains(token)) return new(null, null, "stop");
        Generated++;
        var logProbs = LogSoftmax.For(logits, token, parameters.TopLogProbs);
        var finish = Generated >= parameters.MaxTokens || position >= maxPositions ? "length" : null;
        return new(token, logProbs, finish);
    }
}
