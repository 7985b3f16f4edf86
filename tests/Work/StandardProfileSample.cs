using System.Security.Cryptography;
using P2P.Work;

namespace P2P.Work.Tests;

/// <summary>
/// Statistics of the final activations and work hashes of nonces 0…N−1 of the standard profile (docs/work-function.md §7),
/// computed once for the puzzle-quality tests. N is 10 000, the count the acceptance criteria name (about a minute of
/// batched mining on 2 cores); P2P_WORK_QUALITY_NONCES overrides it for quicker local runs.
/// </summary>
public sealed class StandardProfileSample
{
    public int Count { get; }
    public byte[][] ActivationHashes { get; }
    public byte[][] LastRowHashes { get; }
    public byte[] WorkHashes { get; }
    public long Saturated { get; }
    public long Zeros { get; }
    public long Values { get; }
    public WorkWeights Weights { get; }
    public byte[] Challenge { get; } = Convert.FromHexString(GoldenVector.Challenge);

    public StandardProfileSample()
    {
        Count = int.TryParse(Environment.GetEnvironmentVariable("P2P_WORK_QUALITY_NONCES"), out int n) && n > 0 ? n : 10_000;
        var profile = WorkProfile.Standard;
        Weights = WorkWeights.For(profile, Convert.FromHexString(GoldenVector.Seed));
        ActivationHashes = new byte[Count][];
        LastRowHashes = new byte[Count][];
        WorkHashes = new byte[Count * 32];
        const int batch = 6;
        int chunks = (Count + batch - 1) / batch;
        long saturated = 0, zeros = 0;
        int activationBytes = profile.ActivationBytes, d = profile.ModelDim;
        Parallel.For(0, 2, worker =>
        {
            var evaluator = new BatchedWorkEvaluator(Weights, batch);
            var activations = new sbyte[batch * activationBytes];
            long localSaturated = 0, localZeros = 0;
            for (int chunk = worker; chunk < chunks; chunk += 2)
            {
                int first = chunk * batch, count = Math.Min(batch, Count - first);
                var nonces = Enumerable.Range(first, count).Select(i => (ulong)i).ToArray();
                evaluator.Hashes(Challenge, nonces, WorkHashes.AsSpan(first * 32, count * 32), activations);
                for (int b = 0; b < count; b++)
                {
                    var one = activations.AsSpan(b * activationBytes, activationBytes);
                    ActivationHashes[first + b] = WorkHash.OfActivations(one);
                    LastRowHashes[first + b] = WorkHash.OfActivations(one[^d..]);
                    foreach (sbyte x in one)
                    {
                        if (x == 0) localZeros++;
                        else if (x is 127 or -127) localSaturated++;
                    }
                }
            }
            Interlocked.Add(ref saturated, localSaturated);
            Interlocked.Add(ref zeros, localZeros);
        });
        Saturated = saturated;
        Zeros = zeros;
        Values = (long)Count * activationBytes;
    }
}
