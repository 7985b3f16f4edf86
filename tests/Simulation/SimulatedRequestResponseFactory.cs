using P2P.Networking.RequestResponse;

namespace P2P.Simulation;

/// <summary>Request/response endpoints of one simulated peer.</summary>
internal sealed class SimulatedRequestResponseFactory(SimulatedPeer peer) : IRequestResponseFactory
{
    public IRequestResponse<TRequest, TResponse> Create<TRequest, TResponse>(RequestResponseDefinition<TRequest, TResponse> definition) =>
        new SimulatedRequestResponse<TRequest, TResponse>(peer, definition);

    public IStreamingRequestResponse<TRequest, TResponse> CreateStreaming<TRequest, TResponse>(RequestResponseDefinition<TRequest, TResponse> definition) =>
        new SimulatedStreamingRequestResponse<TRequest, TResponse>(peer, definition);
}
