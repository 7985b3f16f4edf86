namespace P2P.Networking.RequestResponse;

/// <summary>Creates request/response endpoints on one node: over libp2p streams in a daemon, over the simulated network in tests.</summary>
public interface IRequestResponseFactory
{
    IRequestResponse<TRequest, TResponse> Create<TRequest, TResponse>(RequestResponseDefinition<TRequest, TResponse> definition);

    IStreamingRequestResponse<TRequest, TResponse> CreateStreaming<TRequest, TResponse>(RequestResponseDefinition<TRequest, TResponse> definition);
}
