using System.Diagnostics;

namespace P2P.Work;

/// <summary>
/// Where a batched work/1 pass spends its time, phase by phase (docs/work-function.md §8): attach one to a
/// <see cref="BatchedWorkEvaluator"/> to profile it. Timestamps are taken per GEMM call and per epilogue call, a few
/// hundred per pass, so profiling costs well under 1 % of a pass.
/// </summary>
public sealed class WorkPassPhases
{
    /// <summary>The steps of one pass, in the order they run.</summary>
    public enum Phase
    {
        Tokens,
        Embedding,
        Normalize,
        QkvGemm,
        QkvRequantize,
        AttentionPack,
        AttentionScoresGemm,
        AttentionSoftmax,
        AttentionValuesGemm,
        AttentionOutput,
        WoGemm,
        WoResidual,
        W1Gemm,
        W1Relu,
        W2Gemm,
        W2Residual,
        FinalHash,
    }

    private readonly long[] _ticks = new long[Enum.GetValues<Phase>().Length];

    /// <summary>True for the phases that are int8 matrix products on the GEMM kernel.</summary>
    public static bool IsMatrixProduct(Phase phase) =>
        phase is Phase.QkvGemm or Phase.AttentionScoresGemm or Phase.AttentionValuesGemm or Phase.WoGemm or Phase.W1Gemm or Phase.W2Gemm;

    public TimeSpan this[Phase phase] => Stopwatch.GetElapsedTime(0, _ticks[(int)phase]);

    public TimeSpan Total => Stopwatch.GetElapsedTime(0, _ticks.Sum());

    public void Reset() => Array.Clear(_ticks);

    /// <summary>Charges the time since mark to phase and moves mark to now.</summary>
    internal void Charge(Phase phase, ref long mark)
    {
        long now = Stopwatch.GetTimestamp();
        _ticks[(int)phase] += now - mark;
        mark = now;
    }
}
