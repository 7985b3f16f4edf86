namespace P2P.Work;

/// <summary>
/// The scalar reference of work/1: the specification (docs/work-function.md §2) written as plain loops, one nonce at a time.
/// Golden vectors come from here; the fast paths must reproduce it bit for bit.
/// </summary>
public sealed class ReferenceWorkFunction
{
    private readonly WorkWeights _weights;
    private readonly WorkProfile _p;

    public ReferenceWorkFunction(WorkWeights weights)
    {
        _weights = weights;
        _p = weights.Profile;
    }

    /// <summary>The final activations (T×d int8, row-major) of one nonce.</summary>
    public sbyte[] FinalActivations(ReadOnlySpan<byte> challenge, ulong nonce)
    {
        int t = _p.Tokens, d = _p.ModelDim, f = _p.FfnDim;
        Span<byte> tokens = stackalloc byte[t];
        WorkPrf.Tokens(challenge, nonce, tokens);

        var residual = new int[t * d];
        for (int i = 0; i < t; i++)
            for (int c = 0; c < d; c++)
                residual[i * d + c] = _weights.Embedding[tokens[i] * d + c];

        var normed = new int[t * d];
        var hidden = new int[t * f];
        foreach (var layer in _weights.LayerTensors)
        {
            Normalize(residual, normed, t, d);
            var q = MatMul(normed, layer.Wq, t, d, d, _p.QkvMultiplier);
            var k = MatMul(normed, layer.Wk, t, d, d, _p.QkvMultiplier);
            var v = MatMul(normed, layer.Wv, t, d, d, _p.QkvMultiplier);
            var attended = Attention(q, k, v);
            AddSaturated(residual, MatMul(attended, layer.Wo, t, d, d, _p.OutMultiplier));

            Normalize(residual, normed, t, d);
            var up = MatMul(normed, layer.W1, t, d, f, _p.FfnUpMultiplier);
            for (int i = 0; i < up.Length; i++)
                hidden[i] = Math.Max(0, up[i]);
            AddSaturated(residual, MatMul(hidden, layer.W2, t, f, d, _p.FfnDownMultiplier));
        }

        Normalize(residual, normed, t, d);
        var output = new sbyte[t * d];
        for (int i = 0; i < output.Length; i++)
            output[i] = (sbyte)normed[i];
        return output;
    }

    /// <summary>The work hash of one nonce (§4).</summary>
    public byte[] Hash(ReadOnlySpan<byte> challenge, ulong nonce) => WorkHash.Compute(challenge, nonce, FinalActivations(challenge, nonce));

    /// <summary>§2.3: integer RMS normalisation of each row to RMS ≈ gain.</summary>
    private void Normalize(int[] x, int[] y, int rows, int width)
    {
        for (int r = 0; r < rows; r++)
        {
            long sum = 0;
            for (int c = 0; c < width; c++)
                sum += (long)x[r * width + c] * x[r * width + c];
            long m = IntegerOps.NormMultiplier(sum, width, _p.NormGain);
            for (int c = 0; c < width; c++)
                y[r * width + c] = IntegerOps.Normalize(x[r * width + c], m);
        }
    }

    /// <summary>§2.4: int8 × int8 → int32 matmul ([rows][inner] · [inner][cols]) then requantisation.</summary>
    private int[] MatMul(int[] x, sbyte[] w, int rows, int inner, int cols, int multiplier)
    {
        var y = new int[rows * cols];
        var acc = new int[cols];
        for (int r = 0; r < rows; r++)
        {
            Array.Clear(acc);
            for (int k = 0; k < inner; k++)
            {
                int a = x[r * inner + k];
                for (int c = 0; c < cols; c++)
                    acc[c] += a * w[k * cols + c];
            }
            for (int c = 0; c < cols; c++)
                y[r * cols + c] = IntegerOps.Requantize(acc[c], multiplier, _p.RequantShift);
        }
        return y;
    }

    /// <summary>§2.5: causal multi-head attention with the integer softmax.</summary>
    private int[] Attention(int[] q, int[] k, int[] v)
    {
        int t = _p.Tokens, d = _p.ModelDim, dh = _p.HeadDim;
        var output = new int[t * d];
        var scores = new long[t];
        var weights = new long[t];
        for (int h = 0; h < _p.Heads; h++)
        {
            int c0 = h * dh;
            for (int i = 0; i < t; i++)
            {
                long max = long.MinValue;
                for (int j = 0; j <= i; j++)
                {
                    long s = 0;
                    for (int c = 0; c < dh; c++)
                        s += q[i * d + c0 + c] * k[j * d + c0 + c];
                    scores[j] = s;
                    max = Math.Max(max, s);
                }
                long sum = 0;
                for (int j = 0; j <= i; j++)
                {
                    long index = Math.Min((max - scores[j]) >> _p.AttentionShift, ExpTable.Size - 1);
                    weights[j] = ExpTable.Table[index];
                    sum += weights[j];
                }
                long reciprocal = (255L << 24) / sum;
                for (int j = 0; j <= i; j++)
                    weights[j] = (weights[j] * reciprocal) >> 24;
                for (int c = 0; c < dh; c++)
                {
                    long acc = 0;
                    for (int j = 0; j <= i; j++)
                        acc += weights[j] * v[j * d + c0 + c];
                    output[i * d + c0 + c] = IntegerOps.Sat8((acc + 128) >> 8);
                }
            }
        }
        return output;
    }

    /// <summary>§2.6: residual add saturating to ±32767.</summary>
    private static void AddSaturated(int[] residual, int[] delta)
    {
        for (int i = 0; i < residual.Length; i++)
            residual[i] = IntegerOps.Sat16((long)residual[i] + delta[i]);
    }
}
