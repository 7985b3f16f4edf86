using P2P.Networking.Core;

namespace P2P.Networking.RequestResponse;

/// <summary>Removes a protocol's stream handler from the host when disposed.</summary>
internal sealed class StreamHandlerRegistration(IP2PHost host, string protocolId) : IDisposable
{
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            host.RemoveStreamHandler(protocolId);
        }
    }
}
