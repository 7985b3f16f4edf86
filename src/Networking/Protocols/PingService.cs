using System.Buffers;
using System.Security.Cryptography;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Streams;

namespace P2P.Networking.Protocols;

/// <summary>Ping (<c>/ipfs/ping/1.0.0</c>): echo 32-byte payloads; measures round-trip time.</summary>
public sealed class PingService
{
    public const string ProtocolId = "/ipfs/ping/1.0.0";
    public const int PayloadSize = 32;

    private readonly IP2PHost _host;

    /// <summary>Registers the echo handler on <paramref name="host"/>.</summary>
    public PingService(IP2PHost host)
    {
        _host = host;
        host.SetStreamHandler(ProtocolId, EchoAsync);
    }

    /// <summary>One ping round trip to the peer (dialling if needed); records the latency in the peer store.</summary>
    public async Task<TimeSpan> PingAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        await using var stream = await _host.OpenStreamAsync(peer, [ProtocolId], cancellationToken).ConfigureAwait(false);
        var payload = RandomNumberGenerator.GetBytes(PayloadSize);
        var started = _host.Time.GetTimestamp();
        await stream.Output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        var echo = await ReadExactlyAsync(stream, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"ping to {peer}: stream closed before the echo");
        var rtt = _host.Time.GetElapsedTime(started);
        if (!echo.AsSpan().SequenceEqual(payload))
        {
            throw new ProtocolViolationException($"ping to {peer}: echo does not match");
        }
        await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
        _host.Peers.RecordLatency(peer, rtt);
        return rtt;
    }

    private static async Task EchoAsync(IStream stream, CancellationToken cancellationToken)
    {
        while (await ReadExactlyAsync(stream, cancellationToken).ConfigureAwait(false) is { } payload)
        {
            await stream.Output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        }
        await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadExactlyAsync(IStream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await stream.Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.Buffer.Length >= PayloadSize)
            {
                var payload = result.Buffer.Slice(0, PayloadSize).ToArray();
                stream.Input.AdvanceTo(result.Buffer.GetPosition(PayloadSize));
                return payload;
            }
            stream.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return null;
            }
        }
    }
}
