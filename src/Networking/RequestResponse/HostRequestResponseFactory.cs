using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Core;

namespace P2P.Networking.RequestResponse;

/// <summary>Request/response endpoints over a libp2p host's streams.</summary>
public sealed class HostRequestResponseFactory(IP2PHost host, ILoggerFactory? loggers = null) : IRequestResponseFactory
{
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;

    public IRequestResponse<TRequest, TResponse> Create<TRequest, TResponse>(RequestResponseDefinition<TRequest, TResponse> definition) =>
        new RequestResponseProtocol<TRequest, TResponse>(host, definition, _loggers.CreateLogger("P2P.Networking.RequestResponse"));

    public IStreamingRequestResponse<TRequest, TResponse> CreateStreaming<TRequest, TResponse>(RequestResponseDefinition<TRequest, TResponse> definition) =>
        new StreamingRequestResponseProtocol<TRequest, TResponse>(host, definition, _loggers.CreateLogger("P2P.Networking.RequestResponse"));
}
