using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using P2P.Inference.Models;
using P2P.Inference.Numerics;

namespace P2P.Inference.Generation;

/// <summary>
/// Replayable sampling. Greedy: the highest logit, ties to the lower id. Otherwise: candidates ordered by logit
/// (descending, ties by lower id), cut to the top k (k &gt; 0); weights w_i = exp((double)l_i/T − (double)l_0/T) with
/// <see cref="DeterministicMath"/>; top-p keeps the shortest prefix whose cumulative weight reaches p · Σw; then
/// u = (next SplitMix64 output &gt;&gt; 11) · 2⁻⁵³ · (kept weight) and the first candidate whose running sum exceeds u is
/// chosen. The generator is SplitMix64 seeded with the request's seed and advanced once per sampled token.
/// </summary>
public sealed class TokenSampler(SamplingOptions options)
{
    private SplitMix64 _random = new(options.Seed);

    public SamplingOptions Options { get; } = options;

    /// <summary>
    /// Puts the sampler where it would be after <paramref name="sampledTokens"/> tokens: a generation resumed elsewhere
    /// (replay failover) continues the same random stream. Greedy sampling draws nothing, so this changes nothing there.
    /// </summary>
    public void SkipSamples(int sampledTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampledTokens);
        if (Options.Temperature > 0) _random.Advance((ulong)sampledTokens);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Sample(ReadOnlySpan<float> logits)
    {
        if (Options.Temperature <= 0) return ArgMax(logits);
        int[] candidates = Options.TopK > 0 ? LogSoftmax.TopK(logits, Options.TopK) : SortAll(logits);
        double inverseT = 1.0 / Options.Temperature;
        double top = logits[candidates[0]] * inverseT;
        var weights = new double[candidates.Length];
        double total = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            weights[i] = DeterministicMath.Exp(logits[candidates[i]] * inverseT - top);
            total += weights[i];
        }
        int kept = candidates.Length;
        if (Options.TopP < 1f)
        {
            double threshold = Options.TopP * total, running = 0;
            for (int i = 0; i < candidates.Length; i++)
            {
                running += weights[i];
                if (running >= threshold)
                {
                    kept = i + 1;
                    total = running;
                    break;
                }
            }
        }
        double u = _random.NextDouble() * total, cumulative = 0;
        for (int i = 0; i < kept; i++)
        {
            cumulative += weights[i];
            if (cumulative > u) return candidates[i];
        }
        return candidates[kept - 1];
    }

    /// <summary>The first index of the largest logit (NaN never wins; a NaN at index 0 is returned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            // Skip eight at a time while none beats the best so far: the scan runs once per token over the vocabulary.
            if (Vector256.IsHardwareAccelerated && i + 8 <= logits.Length
                && !Vector256.GreaterThanAny(Vector256.Create(logits.Slice(i, 8)), Vector256.Create(logits[best])))
            {
                i += 7;
                continue;
            }
            if (logits[i] > logits[best]) best = i;
        }
        return best;
    }

    private static int[] SortAll(ReadOnlySpan<float> logits)
    {
        var ids = new int[logits.Length];
        var keys = logits.ToArray();
        for (int i = 0; i < ids.Length; i++) ids[i] = i;
        Array.Sort(ids, (a, b) =>
        {
            int byLogit = keys[b].CompareTo(keys[a]);
            return byLogit != 0 ? byLogit : a.CompareTo(b);
        });
        return ids;
    }
}
