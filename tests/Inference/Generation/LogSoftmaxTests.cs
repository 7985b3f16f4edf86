using P2P.Inference.Generation;

namespace P2P.Inference.Tests.Generation;

/// <summary>
/// The vector forms of the per-token scans over the vocabulary (log-normaliser, top-k, greedy arg-max) against their
/// contracts written out one element at a time: same bits, same ids, including NaN, infinities and signed zeros.
/// </summary>
public sealed class LogSoftmaxTests
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 7, 2 }, { 8, 3 }, { 33, 4 }, { 1000, 5 }, { 32000, 6 }, { 32003, 7 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LogNormalizer_HasTheBitsOfTheScalarLoop(int length, int seed)
    {
        foreach (var logits in Cases(length, seed))
        {
            double vector = LogSoftmax.LogNormalizer(logits);
            double scalar = LogSoftmax.LogNormalizerScalar(logits);
            Assert.Equal(BitConverter.DoubleToInt64Bits(scalar), BitConverter.DoubleToInt64Bits(vector));
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TopK_IsTheHighestLogits_TiesToTheLowerId(int length, int seed)
    {
        foreach (var logits in Cases(length, seed))
        {
            foreach (int k in new[] { 1, 5, 20 })
            {
                var expected = Enumerable.Range(0, length)
                    .OrderByDescending(i => logits[i], Comparer<float>.Create((a, b) => a.CompareTo(b)))
                    .ThenBy(i => i).Take(k).ToArray();
                Assert.Equal(expected, LogSoftmax.TopK(logits, k));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ArgMax_IsTheFirstIndexThatNoLaterLogitBeats(int length, int seed)
    {
        foreach (var logits in Cases(length, seed))
        {
            int expected = 0;
            for (int i = 1; i < length; i++)
            {
                if (logits[i] > logits[expected]) expected = i;
            }
            Assert.Equal(expected, TokenSampler.ArgMax(logits));
        }
    }

    /// <summary>With AVX-512 off the four-lane exponentials and with no intrinsics the scalar loops run: same digest.</summary>
    [Theory]
    [InlineData("DOTNET_EnableAVX512F")]
    [InlineData("DOTNET_EnableHWIntrinsic")]
    public void ChildProcessOnAnotherInstructionPath_GivesTheSameDigest(string switchedOff)
    {
        Assert.Equal(Digest(), Support.ProbeProcess.Run(Support.ProbeProcess.Without(switchedOff), "logsoftmax"));
    }

    /// <summary>The log-normaliser bits, top-5 ids and arg-max of every case of every shape, hashed.</summary>
    public static string Digest()
    {
        var bytes = new List<byte>();
        foreach (var shape in Shapes)
        {
            foreach (var logits in Cases((int)shape[0], (int)shape[1]))
            {
                bytes.AddRange(BitConverter.GetBytes(LogSoftmax.LogNormalizer(logits)));
                foreach (int id in LogSoftmax.TopK(logits, 5)) bytes.AddRange(BitConverter.GetBytes(id));
                bytes.AddRange(BitConverter.GetBytes(TokenSampler.ArgMax(logits)));
            }
        }
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes.ToArray()));
    }

    /// <summary>Typical logits, a rising ramp (the best changes every step), ties, and special values sprinkled in.</summary>
    private static IEnumerable<float[]> Cases(int length, int seed)
    {
        var random = new Random(seed);
        var typical = new float[length];
        for (int i = 0; i < length; i++) typical[i] = (float)(random.NextDouble() * 30 - 15);
        yield return typical;
        yield return Enumerable.Range(0, length).Select(i => i * 0.001f).ToArray();
        yield return Enumerable.Range(0, length).Select(i => (float)(i % 3)).ToArray();
        foreach (float special in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, -800f, 800f })
        {
            foreach (int at in new[] { 0, length / 2, length - 1 })
            {
                var copy = (float[])typical.Clone();
                copy[at] = special;
                if (length > 16) copy[(at + 9) % length] = special;
                yield return copy;
            }
        }
        var zeros = new float[length];
        for (int i = 0; i < length; i += 2) zeros[i] = -0f;
        yield return zeros;
    }
}
