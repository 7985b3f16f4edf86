using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using P2P.Inference.Numerics;

namespace P2P.Inference.Generation;

/// <summary>
/// Log-probabilities from logits in a fixed order: m = max, Z = Σ_i exp((double)l_i − m) summed in increasing id,
/// log p_i = (float)(l_i − m − log Z), all with <see cref="DeterministicMath"/>.
/// </summary>
public static class LogSoftmax
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static unsafe double LogNormalizer(ReadOnlySpan<float> logits)
    {
        if (DeterministicVectorMath.IsSupported)
        {
            // The same operations in the same order, the exponentials computed several at a time: once per generated
            // token over the whole vocabulary, where the scalar loop cost a quarter of a small model's decode step.
            fixed (float* values = logits)
            {
                var (min, max) = DeterministicVectorMath.MinMax(values, logits.Length);
                return max + DeterministicMath.Log(DeterministicVectorMath.ExpShiftedSequentialSum(values, logits.Length, min, max));
            }
        }
        return LogNormalizerScalar(logits);
    }

    /// <summary>The contract written out one element at a time (the fallback, and the tests' reference).</summary>
    internal static double LogNormalizerScalar(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float l in logits) max = MathF.Max(max, l);
        double sum = 0;
        foreach (float l in logits) sum += DeterministicMath.Exp((double)l - max);
        return max + DeterministicMath.Log(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TokenLogProbs For(ReadOnlySpan<float> logits, int token, int topK)
    {
        double logZ = LogNormalizer(logits);
        var ids = topK > 0 ? TopK(logits, topK) : [];
        var top = new TokenProbability[ids.Length];
        for (int i = 0; i < ids.Length; i++) top[i] = new TokenProbability(ids[i], (float)(logits[ids[i]] - logZ));
        return new TokenLogProbs(token, (float)(logits[token] - logZ), top);
    }

    /// <summary>The k highest logits, best first; equal logits are ordered by lower token id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] TopK(ReadOnlySpan<float> logits, int k)
    {
        k = Math.Min(k, logits.Length);
        if (k <= 0) return [];
        // The best k so far, best first, kept sorted by insertion: k is small (log-probs report ≤ 20 alternatives), and
        // most logits lose to the worst kept one, eight at a time below.
        var best = new int[k];
        int count = 0;
        for (int id = 0; id < logits.Length; id++)
        {
            if (count == k && Vector256.IsHardwareAccelerated && id + 8 <= logits.Length
                && Vector256.LessThanAll(Vector256.Create(logits.Slice(id, 8)), Vector256.Create(logits[best[k - 1]])))
            {
                // Each of the eight is below the worst kept logit, so loses to it (NaN compares false and is not skipped).
                id += 7;
                continue;
            }
            var key = (logits[id], id);
            if (count == k && WorseFirst.Instance.Compare(key, (logits[best[k - 1]], best[k - 1])) <= 0) continue;
            int at = count < k ? count++ : k - 1;
            for (; at > 0 && WorseFirst.Instance.Compare(key, (logits[best[at - 1]], best[at - 1])) > 0; at--) best[at] = best[at - 1];
            best[at] = id;
        }
        return best;
    }

    /// <summary>Orders (logit, id) so that the worse candidate (lower logit, or equal logit and higher id) comes first.</summary>
    private sealed class WorseFirst : IComparer<(float Logit, int Id)>
    {
        public static readonly WorseFirst Instance = new();

        public int Compare((float Logit, int Id) a, (float Logit, int Id) b)
        {
            int byLogit = a.Logit.CompareTo(b.Logit);
            return byLogit != 0 ? byLogit : b.Id.CompareTo(a.Id);
        }
    }
}
