namespace P2P.InferenceNetwork.Routing;

/// <summary>An executor's weight in routing (its epoch weight once consensus supplies one); multiplied by its health.</summary>
public interface IExecutorWeights
{
    double WeightOf(string peerId);
}
