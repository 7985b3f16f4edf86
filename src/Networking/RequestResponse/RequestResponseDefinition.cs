namespace P2P.Networking.RequestResponse;

/// <summary>Everything that defines a request/response protocol apart from where it runs: id, codecs and limits.</summary>
public sealed record RequestResponseDefinition<TRequest, TResponse>
{
    public RequestResponseDefinition(string protocolId, IMessageCodec<TRequest> requests, IMessageCodec<TResponse> responses, RequestResponseOptions? options = null)
    {
        ProtocolId = ProtocolIds.Validate(protocolId);
        Requests = requests;
        Responses = responses;
        Options = options ?? new RequestResponseOptions();
    }

    public string ProtocolId { get; }

    public IMessageCodec<TRequest> Requests { get; }

    public IMessageCodec<TResponse> Responses { get; }

    public RequestResponseOptions Options { get; }
}
