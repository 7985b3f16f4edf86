using System.Diagnostics;
using System.Runtime.CompilerServices;
using P2P.Work.Kernels;
using static P2P.Work.WorkPassPhases.Phase;

namespace P2P.Work;

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
    private readonly byte[] _input;      // GEMM left operand: normalised rows as x+128
    private readonly int[] _accumulator;
    private readonly byte[] _queries;    // q + 128
    private readonly sbyte[] _keys;
    private readonly sbyte[] _values;
    private readonly byte[] _attended;   // o + 128
    private readonly AttentionScratch _attention;
    private readonly int[] _rowScratch;
    private readonly long[] _squares;    // Σ h² per residual row, kept by each residual update for the next norm
    private readonly byte[] _hidden;     // ReLU outputs of one row chunk

    /// <summary>Rows per GEMM + epilogue step: a multiple of the kernels' 6-row tile, small enough that the chunk's int32
    /// accumulators (96×3d) stay in L2 until requantised, and memory does not grow with the batch.</summary>
    private const int RowChunk = 96;

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
        _input = new byte[rows * d];
        _hidden = new byte[Math.Min(rows, RowChunk) * _p.FfnDim];
        _accumulator = new int[Math.Min(rows, RowChunk) * Math.Max(3 * d, _p.FfnDim)];
        _queries = new byte[rows * d];
        _keys = new sbyte[rows * d];
        _values = new sbyte[rows * d];
        _attended = new byte[rows * d];
        _attention = new AttentionScratch(_p, _kernel);
        _rowScratch = new int[d];
        _squares = new long[rows];
    }

    public int BatchSize { get; }
    public WorkProfile Profile => _p;
    public WorkWeights Weights => _weights;
    public string KernelName => _kernel.Name;

    /// <summary>When set, every pass adds its time per phase to it (profiling; null by default).</summary>
    public WorkPassPhases? Phases { get; set; }

    /// <summary>Final activations (count × T × d int8) of the given nonces.</summary>
    public void FinalActivations(ReadOnlySpan<byte> challenge, ReadOnlySpan<ulong> nonces, Span<sbyte> output)
    {
        int t = _p.Tokens;
        if (nonces.Length < 1 || nonces.Length > BatchSize) throw new ArgumentOutOfRangeException(nameof(nonces));
        Span<byte> tokens = stackalloc byte[nonces.Length * t];
        long mark = Stopwatch.GetTimestamp();
        for (int b = 0; b < nonces.Length; b++)
            WorkPrf.Tokens(challenge, nonces[b], tokens.Slice(b * t, t));
        Phases?.Charge(Tokens, ref mark);
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

        var phases = Phases;
        long mark = Stopwatch.GetTimestamp();
        for (int i = 0; i < rows; i++)
        {
            _packed.EmbeddingRows.AsSpan(tokens[i] * d, d).CopyTo(_residual.AsSpan(i * d, d));
            _squares[i] = _packed.EmbeddingSquares[tokens[i]];
        }
        phases?.Charge(Embedding, ref mark);

        var residual = _residual.AsSpan(0, rows * d);
        var outputBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(output);
        for (int l = 0; l < _packed.Layers.Length; l++)
        {
            var layer = _packed.Layers[l];
            bool last = l == _packed.Layers.Length - 1;
            // Each GEMM runs over chunks of rows with its epilogue right behind it, so the int32 accumulators of a chunk
            // are still in L2 when they are requantised.
            for (int r0 = 0; r0 < rows; r0 += RowChunk)
            {
                int n = Math.Min(RowChunk, rows - r0);
                var input = _input.AsSpan(r0 * d);
                // Later layers find their input already normalised by the previous layer's last residual update.
                if (l == 0)
                    WorkEpilogues.NormalizeOffset(residual[(r0 * d)..], input, n, d, _p.NormGain, _squares.AsSpan(r0, n), _rowScratch);
                phases?.Charge(Normalize, ref mark);
                _kernel.Multiply(input, d, n, d, layer.Qkv, 3 * d, _accumulator, 3 * d);
                phases?.Charge(QkvGemm, ref mark);
                WorkEpilogues.SplitQkv(_accumulator, layer.QkvCorrection, n, d, _p.QkvMultiplier, _p.RequantShift,
                    _queries.AsSpan(r0 * d), _keys.AsSpan(r0 * d), _values.AsSpan(r0 * d));
                phases?.Charge(QkvRequantize, ref mark);
            }
            for (int b = 0; b < count; b++)
                _attention.Run(_queries, _keys, _values, _attended, b * t * d, phases, ref mark);

            for (int r0 = 0; r0 < rows; r0 += RowChunk)
            {
                int n = Math.Min(RowChunk, rows - r0);
                var chunkResidual = residual.Slice(r0 * d, n * d);
                _kernel.Multiply(_attended.AsSpan(r0 * d), d, n, d, layer.Wo, d, _accumulator, d);
                phases?.Charge(WoGemm, ref mark);
                var input = _input.AsSpan(r0 * d);
                WorkEpilogues.AddToResidual(_accumulator, layer.WoCorrection, chunkResidual, n, d, _p.OutMultiplier, _p.RequantShift, _squares.AsSpan(r0, n),
                    input[..(n * d)], _p.NormGain, 128, _rowScratch);
                phases?.Charge(WoResidual, ref mark);
                _kernel.Multiply(input, d, n, d, layer.W1, f, _accumulator, f);
                phases?.Charge(W1Gemm, ref mark);
                WorkEpilogues.Relu(_accumulator, layer.W1Correction, _hidden, n, f, _p.FfnUpMultiplier, _p.RequantShift);
                phases?.Charge(W1Relu, ref mark);
                _kernel.Multiply(_hidden, f, n, f, layer.W2, d, _accumulator, d);
                phases?.Charge(W2Gemm, ref mark);
                // The rows' next norm follows at once: the next layer's input, or after the last layer the final activations.
                WorkEpilogues.AddToResidual(_accumulator, default, chunkResidual, n, d, _p.FfnDownMultiplier, _p.RequantShift, _squares.AsSpan(r0, n),
                    last ? outputBytes.Slice(r0 * d, n * d) : input[..(n * d)], _p.NormGain, last ? 0 : 128, _rowScratch);
                phases?.Charge(W2Residual, ref mark);
            }
        }
    }

    /// <summary>Work hashes (32 bytes per nonce, in order) of the given nonces.</summary>
    public void Hashes(ReadOnlySpan<byte> challenge, ReadOnlySpan<ulong> nonces, Span<byte> hashes, Span<sbyte> activationScratch = default)
    {
        int perNonce = _p.ActivationBytes;
        var activations = activationScratch.Length >= nonces.Length * perNonce ? activationScratch : new sbyte[nonces.Length * perNonce];
        FinalActivations(challenge, nonces, activations);
        long mark = Stopwatch.GetTimestamp();
        for (int b = 0; b < nonces.Length; b++)
            WorkHash.Compute(challenge, nonces[b], activations.Slice(b * perNonce, perNonce), hashes.Slice(b * 32, 32));
        Phases?.Charge(FinalHash, ref mark);
    }
}
