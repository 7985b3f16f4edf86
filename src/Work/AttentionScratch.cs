using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using P2P.Work.Kernels;
using static P2P.Work.WorkPassPhases.Phase;

namespace P2P.Work;

/// <summary>Causal integer attention of one nonce (docs/work-function.md §2.5) on the GEMM kernel, with its buffers.</summary>
internal sealed class AttentionScratch
{
    private readonly WorkProfile _p;
    private readonly Int8GemmKernel _kernel;
    private readonly byte[] _packedKeys;
    private readonly byte[] _packedValues;
    private readonly int[] _keyCorrection;
    private readonly int[] _scores;
    private readonly byte[] _probabilities;
    private readonly int[] _output;

    public AttentionScratch(WorkProfile p, Int8GemmKernel kernel)
    {
        _p = p;
        _kernel = kernel;
        int t = p.Tokens, dh = p.HeadDim;
        _packedKeys = new byte[kernel.PackedLength(dh, t)];
        _packedValues = new byte[kernel.PackedLength(t, dh)];
        _keyCorrection = new int[t];
        _scores = new int[t * t];
        _probabilities = new byte[t * t];
        _output = new int[t * dh];
    }

    /// <summary>Attends the T rows starting at element offset start (queries as q+128), writing o+128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(byte[] queries, sbyte[] keys, sbyte[] values, byte[] attended, int start, WorkPassPhases? phases, ref long mark)
    {
        int t = _p.Tokens, d = _p.ModelDim, dh = _p.HeadDim;
        for (int h = 0; h < _p.Heads; h++)
        {
            int offset = start + h * dh;
            var headKeys = keys.AsSpan(offset);
            _kernel.Pack(headKeys, 1, d, dh, t, _packedKeys);
            for (int j = 0; j < t; j++)
                _keyCorrection[j] = 128 * Sum(headKeys.Slice(j * d, dh));
            phases?.Charge(AttentionPack, ref mark);
            _kernel.MultiplyLowerTriangle(queries.AsSpan(offset), d, t, dh, _packedKeys, t, _scores, t);
            phases?.Charge(AttentionScoresGemm, ref mark);
            if (Avx512Softmax.Supports(t))
                Avx512Softmax.RunCausal(_scores, _keyCorrection, t, _p.AttentionShift, _probabilities);
            else
                for (int i = 0; i < t; i++)
                    Softmax(_scores.AsSpan(i * t, t), i + 1, _probabilities.AsSpan(i * t, t));
            phases?.Charge(AttentionSoftmax, ref mark);

            _kernel.Pack(values.AsSpan(offset), d, 1, t, dh, _packedValues);
            phases?.Charge(AttentionPack, ref mark);
            _kernel.MultiplyLowerTriangularA(_probabilities, t, t, t, _packedValues, dh, _output, dh);
            phases?.Charge(AttentionValuesGemm, ref mark);
            for (int i = 0; i < t; i++)
            {
                var row = _output.AsSpan(i * dh, dh);
                if (Avx512Epilogues.IsSupported)
                {
                    Avx512Epilogues.AttentionOutput(row, attended.AsSpan(offset + i * d, dh));
                    continue;
                }
                int c = 0;
                if (Avx2.IsSupported)
                    for (; c + 8 <= dh; c += 8)
                    {
                        var v = Avx2.ShiftRightArithmetic(Avx2.Add(Vector256.Create(row.Slice(c, 8)), Vector256.Create(128)), 8);
                        Avx2.Min(Vector256.Create(127), Avx2.Max(Vector256.Create(-127), v)).CopyTo(row.Slice(c, 8));
                    }
                for (; c < dh; c++) row[c] = IntegerOps.Sat8((row[c] + 128) >> 8);
                WorkEpilogues.NarrowToBytes(row, attended.AsSpan(offset + i * d, dh), 128);
            }
            phases?.Charge(AttentionOutput, ref mark);
        }
    }

    private static int Sum(ReadOnlySpan<sbyte> values)
    {
        int i = 0, sum = 0;
        if (Avx2.IsSupported)
        {
            var total = Vector256<short>.Zero;
            for (; i + 32 <= values.Length; i += 32)
            {
                var (low, high) = Vector256.Widen(Vector256.Create(values.Slice(i, 32)));
                total = Avx2.Add(total, Avx2.Add(low, high));
            }
            sum = Vector256.Sum(Vector256.WidenLower(total) + Vector256.WidenUpper(total));
        }
        for (; i < values.Length; i++) sum += values[i];
        return sum;
    }

    /// <summary>Integer softmax of scores[0..count) (raw u8·s8 sums, corrected here) into p[0..count), zeros after.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Softmax(Span<int> scores, int count, Span<byte> probabilities)
    {
        var correction = _keyCorrection.AsSpan();
        int shift = _p.AttentionShift;
        int j = 0, max = int.MinValue;
        if (Avx2.IsSupported)
        {
            var vmax = Vector256.Create(int.MinValue);
            for (; j + 8 <= count; j += 8)
            {
                var s = Avx2.Subtract(Vector256.Create(scores.Slice(j, 8)), Vector256.Create(correction.Slice(j, 8)));
                s.CopyTo(scores.Slice(j, 8));
                vmax = Avx2.Max(vmax, s);
            }
            for (int lane = 0; lane < 8; lane++) max = Math.Max(max, vmax.GetElement(lane));
        }
        for (; j < count; j++)
        {
            scores[j] -= correction[j];
            max = Math.Max(max, scores[j]);
        }

        // Scalar table loads on purpose: vpgatherdd is microcoded and very slow on CPUs with the Gather Data Sampling
        // mitigation (measured ≈ 15× slower than this loop here).
        long total = 0;
        var table = ExpTable.Table;
        for (j = 0; j < count; j++)
        {
            int e = table[Math.Min((max - scores[j]) >> shift, ExpTable.Size - 1)];
            scores[j] = e;
            total += e;
        }

        // e ≤ Σe, so e·R ≤ 255·2^24 < 2^32: the product is exact in unsigned 32-bit lanes.
        uint reciprocal = (uint)((255L << 24) / total);
        j = 0;
        if (Avx2.IsSupported)
        {
            var r = Vector256.Create(reciprocal);
            for (; j + 8 <= count; j += 8)
                Avx2.ShiftRightLogical(Avx2.MultiplyLow(Vector256.Create(scores.Slice(j, 8)).AsUInt32(), r), 24).AsInt32().CopyTo(scores.Slice(j, 8));
        }
        for (; j < count; j++) scores[j] = (int)(((uint)scores[j] * reciprocal) >> 24);
        WorkEpilogues.NarrowToBytes(scores[..count], probabilities, 0);
        probabilities[count..].Clear();
    }
}
