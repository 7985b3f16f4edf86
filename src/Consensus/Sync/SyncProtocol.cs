using P2P.Networking.RequestResponse;

namespace P2P.Consensus.Sync;

/// <summary>The <c>/p2pd/sync/1</c> request/response definition for a chain: codecs sized by its block limit, timeouts and inbound limits.</summary>
public static class SyncProtocol
{
    public static RequestResponseDefinition<SyncRequest, SyncResponse> Definition(int maxBlockBytes, SyncOptions options) =>
        new(SyncLimits.ProtocolId, new SyncRequestCodec(), new SyncResponseCodec(maxBlockBytes), new RequestResponseOptions
        {
            Timeout = options.RequestTimeout,
            MaxConcurrentPerPeer = options.MaxInboundPerPeer,
            MaxConcurrent = options.MaxInbound,
        });
}
