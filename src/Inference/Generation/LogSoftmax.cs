using System.Runtime.CompilerServices;
using P2P.Inference.Numerics;

namespace P2P.Inference.Generation;

/// <summary>
/// Log-probabilities from logits in a fixed order: m = max, Z = Σ_i exp((double)l_i − m) summed in increasing id,
/// log p_i = (float)(l_i − m − log Z), all with <see cref="DeterministicMath"/>.
/// </summary>
public static class LogSoftmax
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogNormalizer(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float l in logits) max = MathF.Max(max, l);
        double sum = 0;
        foreach (float l in logits) sum += DeterministicMath.Exp((double)l - max);
        return max + DeterministicMath.Log(sum);
    }

    public static TokenLogProbs For(ReadOnlySpan<float> logits, int token, int topK)
    {
        double logZ = LogNormalizer(logits);
        var ids = topK > 0 ? TopK(logits, topK) : [];
        var top = new TokenProbability[ids.Length];
        for (int i = 0; i < ids.Length; i++) top[i] = new TokenProbability(ids[i], (float)(logits[ids[i]] - logZ));
        return new TokenLogProbs(token, (float)(logits[token] - logZ), top);
    }

    /// <summary>The k highest logits, best first; equal logits are ordered by lower token id.</summary>
    public static int[] TopK(ReadOnlySpan<float> logits, int k)
    {
        k = Math.Min(k, logits.Length);
        var heap = new PriorityQueue<int, (float Logit, int Id)>(k + 1, WorseFirst.Instance);
        for (int id = 0; id < logits.Length; id++)
        {
            var key = (logits[id], id);
            if (heap.Count < k) heap.Enqueue(id, key);
            else if (WorseFirst.Instance.Compare(key, (logits[heap.Peek()], heap.Peek())) > 0) heap.DequeueEnqueue(id, key);
        }
        var result = new int[heap.Count];
        for (int i = result.Length - 1; i >= 0; i--) result[i] = heap.Dequeue();
        return result;
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
