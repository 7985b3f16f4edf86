using P2P.Inference.Kernels;

namespace P2P.Inference.Models;

/// <summary>
/// One decoder layer. Q, K and V projections are stacked row-wise into one matrix and gate/up into another, so a
/// token's projections are one pass over the weights; every output is still its own dot product, so stacking
/// does not change any bit.
/// </summary>
public sealed class LayerWeights : IDisposable
{
    public required WeightMatrix AttentionNorm { get; init; }
    public required WeightMatrix QueryKeyValue { get; init; }
    public required WeightMatrix Output { get; init; }
    public required WeightMatrix FeedForwardNorm { get; init; }
    public required WeightMatrix GateUp { get; init; }
    public required WeightMatrix Down { get; init; }

    public IEnumerable<WeightMatrix> All => [AttentionNorm, QueryKeyValue, Output, FeedForwardNorm, GateUp, Down];

    public void Dispose()
    {
        foreach (var matrix in All) matrix.Dispose();
    }
}
