using System.Runtime.CompilerServices;
using P2P.Inference.Work.Kernels;

namespace P2P.Inference.Work;

/// <summary>
/// Evaluates work/1 for up to BatchSize nonces at once: the T positions of every nonce are stacked into one
/// M = count·T row matrix, so each projection is one GEMM whose weights are read once for the whole batch.
/// Bit-identical to <see cref="ReferenceWorkFunction"/>. Not thread-safe: one instance per thread.
/// </summary>
public sealed class BatchedWorkEvaluator
{
    private readonly WorkProfile _p;
    private readonly WorkWeights _weights;
    private readonly PackedWorkWeights _packed;
    private readonly Int8GemmKernel _kernel;
    private readonly int[] _residual;
    private readonly byte[] _input;      // GEMM left operand: normalised rows as x+128, or ReLU outputs as they are
    private readonly int[] _accumulator;
    private readonly byte[] _queries;    // q + 128
    private readonly sbyte[] _keys;
    private readonly sbyte[] _values;
    private readonly byte[] _attended;   // o + 128
    private readonly AttentionScratch _attention;
    private readonly int[] _rowScratch;

    public BatchedWorkEvaluator(WorkWeights weights, int batchSize, Int8GemmKernel? kernel = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _p = weights.Profile;
        _weights = weights;
        _kernel = kernel ?? Int8GemmKernel.Best;
        _packed = weights.PackedFor(_kernel);
        BatchSize = batchSize;
        int rows = batchSize * _p.Tokens, d = _p.ModelDim;
        _residual = new int[rows * d];
        _input = new byte[rows * Math.Max(d, _p.FfnDim)];
        _accumulator = new int[rows * Math.Max(3 * d, _p.FfnDim)];
        _queries = new byte[rows * d];
        _keys = new sbyte[rows * d];
        _values = new sbyte[rows * d];
        _attended = new byte[rows * d];
        _attention = new AttentionScratch(_p, _kernel);
        _rowScratch = new int[d];
    }

    public int BatchSize { get; }
    public WorkProfile Profile => _p;
    public WorkWeights Weights => _weights;
    public string KernelName => _kernel.Name;

    /// <summary>Final activations (count × T × d int8) of the given nonces.</summary>
    public void FinalActivations(ReadOnlySpan<byte> challenge, ReadOnlySpan<ulong> nonces, Span<sbyte> output)
    {
        int t = _p.Tokens;
        if (nonces.Length < 1 || nonces.Length > BatchSize) throw new ArgumentOutOfRangeException(nameof(nonces));
        Span<byte> tokens = stackalloc byte[nonces.Length * t];
        for (int b = 0; b < nonces.Length; b++)
            WorkPrf.Tokens(challenge, nonces[b], tokens.Slice(b * t, t));
        FinalActivationsOfTokens(tokens, output);
    }

    /// <summary>
    /// Final activations of explicit token sequences (count × T token ids, §2.4 onward). Mining always derives the
    /// tokens from the nonce; this entry point exists to study the function (e.g. the effect of one token).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FinalActivationsOfTokens(ReadOnlySpan<byte> tokens, Span<sbyte> output)
    {
        int t = _p.Tokens, d = _p.ModelDim, f = _p.FfnDim;
        int count = tokens.Length / t, rows = count * t;
        if (count < 1 || count > BatchSize || tokens.Length % t != 0) throw new ArgumentOutOfRangeException(nameof(tokens));
        if (output.Length < rows * d) throw new ArgumentException("output too short", nameof(output));

        for (int i = 0; i < rows; i++)
            for (int c = 0; c < d; c++)
                _residual[i * d + c] = _weights.Embedding[tokens[i] * d + c];

        var residual = _residual.AsSpan(0, rows * d);
        foreach (var layer in _packed.Layers)
        {
            WorkEpilogues.NormalizeOffset(residual, _input, rows, d, _p.NormGain, _rowScratch);
            _kernel.Multiply(_input, d, rows, d, layer.Qkv, 3 * d, _accumulator, 3 * d);
            WorkEpilogues.SplitQkv(_accumulator, layer.QkvCorrection, rows, d, _p.QkvMultiplier, _p.RequantShift, _queries, _keys, _values);
            for (int b = 0; b < count; b++)
                _attention.Run(_queries, _keys, _values, _attended, b * t * d);

            _kernel.Multiply(_attended, d, rows, d, layer.Wo, d, _accumulator, d);
            WorkEpilogues.AddToResidual(_accumulator, layer.WoCorrection, residual, rows, d, _p.OutMultiplier, _p.RequantShift);

            WorkEpilogues.NormalizeOffset(residual, _input, rows, d, _p.NormGain, _rowScratch);
            _kernel.Multiply(_input, d, rows, d, layer.W1, f, _accumulator, f);
            WorkEpilogues.Relu(_accumulator, layer.W1Correction, _input, rows, f, _p.FfnUpMultiplier, _p.RequantShift);
            _kernel.Multiply(_input, f, rows, f, layer.W2, d, _accumulator, d);
            WorkEpilogues.AddToResidual(_accumulator, default, residual, rows, d, _p.FfnDownMultiplier, _p.RequantShift);
        }
        WorkEpilogues.NormalizeSigned(residual, output, rows, d, _p.NormGain, _rowScratch);
    }

    /// <summary>Work hashes (32 bytes per nonce, in order) of the given nonces.</summary>
    public void Hashes(ReadOnlySpan<byte> challenge, ReadOnlySpan<ulong> nonces, Span<byte> hashes, Span<sbyte> activationScratch = default)
    {
        int perNonce = _p.ActivationBytes;
        var activations = activationScratch.Length >= nonces.Length * perNonce ? activationScratch : new sbyte[nonces.Length * perNonce];
        FinalActivations(challenge, nonces, activations);
        for (int b = 0; b < nonces.Length; b++)
            WorkHash.Compute(challenge, nonces[b], activations.Slice(b * perNonce, perNonce), hashes.Slice(b * 32, 32));
    }
}
