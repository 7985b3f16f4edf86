namespace P2P.Simulation;

/// <summary>A protocol served by a simulated peer.</summary>
internal interface ISimulatedServer
{
    void Receive(SimulatedExchange exchange);
}
