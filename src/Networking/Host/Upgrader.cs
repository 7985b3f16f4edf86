using Microsoft.Extensions.Logging;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Multistream;
using P2P.Networking.Noise;
using P2P.Networking.Transport;
using P2P.Networking.Yamux;

namespace P2P.Networking.Host;

/// <summary>The connection upgrade: multistream-select → Noise → multistream-select → yamux.</summary>
internal sealed class Upgrader(NoiseSecurity noise, YamuxOptions yamux, ILoggerFactory loggers, TimeProvider time, TimeSpan negotiationTimeout)
{
    /// <summary>Secures and multiplexes a fresh TCP connection; the caller wires the session's callbacks.</summary>
    public async Task<Connection> UpgradeAsync(SocketPipe socket, Direction direction, PeerId? expected, CancellationToken cancellationToken)
    {
        NoiseSecureChannel secure;
        string muxer;
        if (direction == Direction.Outbound)
        {
            await MultistreamSelect.SelectAsync(socket, [NoiseSecurity.ProtocolId], cancellationToken).ConfigureAwait(false);
            secure = await noise.SecureOutboundAsync(socket, expected, cancellationToken).ConfigureAwait(false);
            muxer = await SelectMuxerAsync(secure, () => MultistreamSelect.SelectAsync(secure, [YamuxSession.ProtocolId], cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            await MultistreamSelect.ListenAsync(socket, p => p == NoiseSecurity.ProtocolId, () => [NoiseSecurity.ProtocolId], cancellationToken).ConfigureAwait(false);
            secure = await noise.SecureInboundAsync(socket, cancellationToken).ConfigureAwait(false);
            muxer = await SelectMuxerAsync(secure, () => MultistreamSelect.ListenAsync(secure, p => p == YamuxSession.ProtocolId, () => [YamuxSession.ProtocolId], cancellationToken)).ConfigureAwait(false);
        }
        var session = new YamuxSession(secure, isClient: direction == Direction.Outbound, yamux, loggers.CreateLogger<YamuxSession>(), time);
        _ = muxer;
        return new Connection(socket, secure, session, direction, time.GetUtcNow(), negotiationTimeout, time);
    }

    private static async Task<string> SelectMuxerAsync(NoiseSecureChannel secure, Func<Task<string>> negotiate)
    {
        try
        {
            return await negotiate().ConfigureAwait(false);
        }
        catch
        {
            await secure.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
