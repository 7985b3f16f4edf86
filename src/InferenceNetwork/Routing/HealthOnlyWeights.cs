namespace P2P.InferenceNetwork.Routing;

/// <summary>Every executor weighs the same, so routing follows health alone (until epoch weights are wired in).</summary>
public sealed class HealthOnlyWeights : IExecutorWeights
{
    public double WeightOf(string peerId) => 1.0;
}
