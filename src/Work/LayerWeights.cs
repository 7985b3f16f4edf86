namespace P2P.Work;

/// <summary>The six int8 tensors of one work/1 layer, each stored [input][output] row-major.</summary>
public sealed record LayerWeights(sbyte[] Wq, sbyte[] Wk, sbyte[] Wv, sbyte[] Wo, sbyte[] W1, sbyte[] W2);
