using P2P.Inference.Work.Kernels;

namespace P2P.Inference.Work;

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
    public void Run(byte[] queries, sbyte[] keys, sbyte[] values, byte[] attended, int start)
    {
        int t = _p.Tokens, d = _p.ModelDim, dh = _p.HeadDim;
        var exp = ExpTable.Table;
        for (int h = 0; h < _p.Heads; h++)
        {
            int offset = start + h * dh;
            var headKeys = keys.AsSpan(offset);
            _kernel.Pack(headKeys, 1, d, dh, t, _packedKeys);
            for (int j = 0; j < t; j++)
            {
                int sum = 0;
                var key = headKeys.Slice(j * d, dh);
                for (int c = 0; c < dh; c++) sum += key[c];
                _keyCorrection[j] = 128 * sum;
            }
            _kernel.Multiply(queries.AsSpan(offset), d, t, dh, _packedKeys, t, _scores, t);

            for (int i = 0; i < t; i++)
            {
                var scores = _scores.AsSpan(i * t, i + 1);
                int max = int.MinValue;
                for (int j = 0; j <= i; j++)
                {
                    scores[j] -= _keyCorrection[j];
                    if (scores[j] > max) max = scores[j];
                }
                long total = 0;
                for (int j = 0; j <= i; j++)
                {
                    int e = exp[Math.Min((max - scores[j]) >> _p.AttentionShift, ExpTable.Size - 1)];
                    scores[j] = e;
                    total += e;
                }
                long reciprocal = (255L << 24) / total;
                var probabilities = _probabilities.AsSpan(i * t, t);
                for (int j = 0; j <= i; j++)
                    probabilities[j] = (byte)((scores[j] * reciprocal) >> 24);
                probabilities[(i + 1)..].Clear();
            }

            _kernel.Pack(values.AsSpan(offset), d, 1, t, dh, _packedValues);
            _kernel.Multiply(_probabilities, t, t, t, _packedValues, dh, _output, dh);
            for (int i = 0; i < t; i++)
            {
                var dst = attended.AsSpan(offset + i * d, dh);
                var src = _output.AsSpan(i * dh, dh);
                for (int c = 0; c < dh; c++)
                    dst[c] = (byte)(IntegerOps.Sat8((src[c] + 128) >> 8) + 128);
            }
        }
    }
}
