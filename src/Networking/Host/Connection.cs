using System.Collections.Concurrent;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Metrics;
using P2P.Networking.Multiformats;
using P2P.Networking.Multistream;
using P2P.Networking.Noise;
using P2P.Networking.Transport;
using P2P.Networking.Yamux;

namespace P2P.Networking.Host;

/// <summary>An upgraded connection: TCP socket, Noise channel, yamux session.</summary>
internal sealed class Connection : IConnection
{
    private static long _nextId;
    private readonly SocketPipe _socket;
    private readonly NoiseSecureChannel _secure;
    private readonly YamuxSession _session;
    private readonly TimeSpan _negotiationTimeout;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<uint, Libp2pStream> _streams = new();

    public Connection(SocketPipe socket, NoiseSecureChannel secure, YamuxSession session, Direction direction, DateTimeOffset openedAt, TimeSpan negotiationTimeout, TimeProvider time)
    {
        _socket = socket;
        _secure = secure;
        _session = session;
        _negotiationTimeout = negotiationTimeout;
        _time = time;
        Direction = direction;
        OpenedAt = openedAt;
        Id = "c" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        LocalAddress = Multiaddr.FromEndPoint(socket.LocalEndPoint);
        RemoteAddress = Multiaddr.FromEndPoint(socket.RemoteEndPoint);
        Completion = FinishAsync();
    }

    public string Id { get; }

    public PeerId RemotePeer => _secure.RemotePeer;

    public PublicKey RemotePublicKey => _secure.RemotePublicKey;

    public Multiaddr LocalAddress { get; }

    public Multiaddr RemoteAddress { get; }

    public Direction Direction { get; }

    public DateTimeOffset OpenedAt { get; }

    public IReadOnlyCollection<IStream> Streams => _streams.Values.ToArray();

    public bool IsClosed => _session.IsClosed;

    public Task Completion { get; }

    internal YamuxSession Session => _session;

    public async Task<IStream> OpenStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken = default)
    {
        var inner = await _session.OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = new Deadline(_time, _negotiationTimeout, cancellationToken);
            var protocol = await MultistreamSelect.SelectAsync(inner, protocols, timeout.Token).ConfigureAwait(false);
            NetworkingMetrics.StreamOpened(Direction.Outbound, protocol);
            return Track(new Libp2pStream(this, inner, protocol, Direction.Outbound));
        }
        catch
        {
            inner.Reset();
            throw;
        }
    }

    internal Libp2pStream Track(Libp2pStream stream)
    {
        _streams[stream.Inner.Id] = stream;
        stream.Inner.Removed = () => _streams.TryRemove(stream.Inner.Id, out _);
        if (stream.Inner.IsReset)
        {
            _streams.TryRemove(stream.Inner.Id, out _);
        }
        return stream;
    }

    public Task CloseAsync(CancellationToken cancellationToken = default) => _session.CloseAsync().WaitAsync(cancellationToken);

    private async Task FinishAsync()
    {
        await _session.Completion.ConfigureAwait(false);
        // Let the GoAway (and anything written before it) reach the socket, but never wait on a stuck peer.
        await Task.WhenAny(_secure.WriteCompletion, Task.Delay(TimeSpan.FromSeconds(1), _time)).ConfigureAwait(false);
        await _socket.DisposeAsync().ConfigureAwait(false);
        await _session.DisposeAsync().ConfigureAwait(false);
        await _secure.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => $"{Id} {Direction} {RemotePeer} at {RemoteAddress}";
}
