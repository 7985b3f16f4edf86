namespace P2P.Work;

/// <summary>One layer's weights in a kernel's packed layout, Wq|Wk|Wv fused into one d×3d matrix, with offset corrections.</summary>
internal sealed class PackedWorkLayer
{
    public required byte[] Qkv { get; init; }
    public required int[] QkvCorrection { get; init; }
    public required byte[] Wo { get; init; }
    public required int[] WoCorrection { get; init; }
    public required byte[] W1 { get; init; }
    public required int[] W1Correction { get; init; }

    /// <summary>W2 multiplies ReLU outputs, which are already unsigned: no correction.</summary>
    public required byte[] W2 { get; init; }
}
