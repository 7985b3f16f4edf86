using P2P.Inference.Generation;

namespace P2P.InferenceNetwork.Generation;

/// <summary>
/// Turns each step's logits into the next token exactly as the engine's <c>Generator</c> does (same sampler, same stop
/// and length rules), so a token generated across the network has the bits of one generated locally.
/// </summary>
public sealed class TokenSelector
{
    private readonly GenerationParameters _parameters;
    private readonly int _maxPositions;
    private readonly TokenSampler _sampler;

    /// <param name="resumeAfter">tokens of this generation already produced elsewhere: the sampler skips their draws, so a
    /// replacement executor continues the seeded random stream where the failed one stopped.</param>
    public TokenSelector(GenerationParameters parameters, int maxPositions, int resumeAfter = 0)
    {
        _parameters = parameters;
        _maxPositions = maxPositions;
        _sampler = new TokenSampler(parameters.Sampling);
        _sampler.SkipSamples(resumeAfter);
    }

    public int Generated { get; private set; }

    /// <param name="position">the session's position after the forward pass that produced <paramref name="logits"/>.</param>
    public SelectedToken Next(ReadOnlySpan<float> logits, int position)
    {
        if (_parameters.MaxTokens == 0) return new(null, null, "length");
        int token = _sampler.Sample(logits);
        if (_parameters.StopTokens.Contains(token)) return new(null, null, "stop");
        Generated++;
        var logProbs = LogSoftmax.For(logits, token, _parameters.TopLogProbs);
        var finish = Generated >= _parameters.MaxTokens || position >= _maxPositions ? "length" : null;
        return new(token, logProbs, finish);
    }
}
