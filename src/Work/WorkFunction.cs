namespace P2P.Work;

/// <summary>Verifying single nonces of work/1 with the fastest exact path of this CPU (docs/work-function.md).</summary>
public static class WorkFunction
{
    [ThreadStatic] private static BatchedWorkEvaluator? _evaluator;

    /// <summary>The work hash of one nonce.</summary>
    public static byte[] Hash(WorkProfile profile, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> challenge, ulong nonce)
    {
        var weights = WorkWeights.For(profile, seed);
        var evaluator = _evaluator;
        if (evaluator is null || evaluator.Profile != profile || !ReferenceEquals(evaluator.Weights, weights))
            _evaluator = evaluator = new BatchedWorkEvaluator(weights, 1);
        var hash = new byte[32];
        evaluator.Hashes(challenge, [nonce], hash);
        return hash;
    }

    /// <summary>True when the nonce's work hash is at most the target (§4).</summary>
    public static bool Verify(WorkProfile profile, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> challenge, ulong nonce, ReadOnlySpan<byte> target) =>
        WorkHash.MeetsTarget(Hash(profile, seed, challenge, nonce), target);
}
