namespace P2P.Work;

/// <summary>The sizes and fixed-point constants of one work/1 profile (docs/work-function.md §3).</summary>
public sealed record WorkProfile(
    string Name,
    int ModelDim,
    int Layers,
    int Heads,
    int FfnDim,
    int Tokens,
    int NormGain,
    int RequantShift,
    int QkvMultiplier,
    int OutMultiplier,
    int FfnUpMultiplier,
    int FfnDownMultiplier,
    int AttentionShift)
{
    /// <summary>Token ids are single bytes, so the embedding table has 256 rows.</summary>
    public const int Vocabulary = 256;

    public int HeadDim => ModelDim / Heads;

    /// <summary>Tensors per layer: Wq, Wk, Wv, Wo, W1, W2 (§2.2).</summary>
    public const int TensorsPerLayer = 6;

    public int TensorCount => 1 + TensorsPerLayer * Layers;

    /// <summary>Int8 multiply-accumulates of one nonce as specified: the projections plus causal attention (§5).</summary>
    public long MultiplyAccumulatesPerNonce
    {
        get
        {
            long t = Tokens, d = ModelDim, f = FfnDim;
            long projections = t * (4 * d * d + 2 * d * f);
            long attention = t * (t + 1) / 2 * HeadDim * Heads * 2;
            return Layers * (projections + attention);
        }
    }

    public long WeightBytes => (long)Vocabulary * ModelDim + (long)Layers * (4L * ModelDim * ModelDim + 2L * ModelDim * FfnDim);

    public int ActivationBytes => Tokens * ModelDim;

    public static WorkProfile Devnet { get; } = new("devnet", 64, 2, 4, 128, 16, 32, 20, 1784, 2400, 1784, 1800, 6);

    public static WorkProfile Standard { get; } = new("standard", 512, 8, 8, 1024, 64, 32, 20, 631, 920, 631, 630, 7);

    public static WorkProfile Large { get; } = new("large", 1024, 16, 16, 4096, 64, 32, 20, 446, 650, 446, 313, 7);

    public static IReadOnlyList<WorkProfile> All { get; } = [Devnet, Standard, Large];

    public static WorkProfile? FromName(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Throws unless every dimension suits the kernels' blocking (multiples of 16, heads divide d).</summary>
    public void Validate()
    {
        if (ModelDim % 16 != 0 || FfnDim % 16 != 0 || Tokens % 16 != 0 || Heads <= 0 || ModelDim % Heads != 0 || HeadDim % 16 != 0)
            throw new ArgumentException($"profile {Name}: dimensions must be multiples of 16 and heads must divide the model width");
        if (Layers <= 0 || Layers > 128)
            throw new ArgumentException($"profile {Name}: 1..128 layers keep the residual inside int16 (§2.6)");
        if (RequantShift is < 1 or > 30 || AttentionShift is < 0 or > 30)
            throw new ArgumentException($"profile {Name}: shift out of range");
    }
}
