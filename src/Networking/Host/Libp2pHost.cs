using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Core;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;
using P2P.Networking.Multistream;
using P2P.Networking.Noise;
using P2P.Networking.Protocols;
using P2P.Networking.Transport;
using P2P.Networking.Yamux;

namespace P2P.Networking.Host;

/// <summary>
/// The libp2p host: TCP listeners and dialer, the upgrade pipeline (multistream → Noise → multistream →
/// yamux), stream handler dispatch, identify and ping on every connection, and the connection manager.
/// </summary>
public sealed class Libp2pHost : IHost
{
    private readonly NetworkOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly NoiseSecurity _noise;
    private readonly ConcurrentDictionary<string, StreamHandler> _handlers = new();
    private readonly ConcurrentDictionary<PeerId, Task<IConnection>> _pendingDials = new();
    private readonly List<Connection> _connections = [];
    private readonly object _gate = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _background = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly DialBackoff _backoff;
    private readonly YamuxOptions _yamux;
    private readonly SemaphoreSlim _pendingUpgrades = new(MaxPendingUpgrades, MaxPendingUpgrades);
    /// <summary>Inbound connections still in their handshakes; more are closed at once.</summary>
    private const int MaxPendingUpgrades = 256;
    private IReadOnlyList<Multiaddr> _listenAddresses = [];
    private int _started;

    public Libp2pHost(PrivateKey key, NetworkOptions? options = null, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        PrivateKey = key;
        LocalPeerId = key.PeerId;
        _options = options ?? new NetworkOptions();
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<Libp2pHost>();
        _time = time ?? TimeProvider.System;
        _noise = new NoiseSecurity(key);
        _backoff = new DialBackoff(_time, _options.DialBackoffBase, _options.DialBackoffMax);
        _yamux = new YamuxOptions { KeepAliveInterval = _options.KeepAliveInterval, MaxInboundStreams = _options.MaxInboundStreamsPerConnection };
        Peers = new PeerStore(_time);
        Identify = new IdentifyService(this, _loggers.CreateLogger<IdentifyService>());
        Ping = new PingService(this);
    }

    public PeerId LocalPeerId { get; }

    public PrivateKey PrivateKey { get; }

    public IReadOnlyList<Multiaddr> ListenAddresses => _listenAddresses;

    public IPeerStore Peers { get; }

    public IdentifyService Identify { get; }

    public PingService Ping { get; }

    internal NetworkOptions Options => _options;

    internal TimeProvider Time => _time;

    public IReadOnlyCollection<IConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return _connections.Where(c => !c.IsClosed).ToArray();
            }
        }
    }

    public IReadOnlyCollection<PeerId> ConnectedPeers => Connections.Select(c => c.RemotePeer).Distinct().ToArray();

    public IReadOnlyCollection<string> Protocols => _handlers.Keys.Order(StringComparer.Ordinal).ToArray();

    public event Action<IConnection>? PeerConnected;

    public event Action<PeerId>? PeerDisconnected;

    public event Action<IdentifyInfo>? PeerIdentified;

    internal void RaiseIdentified(IdentifyInfo info) => PeerIdentified?.Invoke(info);

    public IReadOnlyList<IConnection> GetConnections(PeerId peer)
    {
        lock (_gate)
        {
            return _connections.Where(c => c.RemotePeer == peer && !c.IsClosed).ToArray();
        }
    }

    public void SetStreamHandler(string protocol, StreamHandler handler)
    {
        var added = !_handlers.ContainsKey(protocol);
        _handlers[protocol] = handler;
        if (added && Volatile.Read(ref _started) == 1)
        {
            Identify.SchedulePush();
        }
    }

    public void RemoveStreamHandler(string protocol)
    {
        if (_handlers.TryRemove(protocol, out _) && Volatile.Read(ref _started) == 1)
        {
            Identify.SchedulePush();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("host already started");
        }
        var bound = new List<Multiaddr>();
        try
        {
            foreach (var text in _options.EffectiveListenAddresses)
            {
                var socket = TcpTransport.Listen(Multiaddr.Parse(text));
                _listeners.Add(socket);
                bound.AddRange(AddressExpansion.Expand((System.Net.IPEndPoint)socket.LocalEndPoint!));
                _background.Add(Task.Run(() => AcceptLoopAsync(socket)));
            }
        }
        catch
        {
            foreach (var socket in _listeners)
            {
                socket.Dispose();
            }
            throw;
        }
        _listenAddresses = bound.Distinct().ToArray();
        _logger.LogInformation("libp2p host {PeerId} listening on {Addresses}", LocalPeerId, string.Join(", ", _listenAddresses));
        foreach (var text in _options.BootstrapPeers)
        {
            var address = Multiaddr.Parse(text);
            var peer = address.PeerId ?? throw new FormatException($"bootstrap peer {text} lacks /p2p/<id>");
            Peers.AddAddresses(peer, [address], TimeSpan.MaxValue);
            _background.Add(Task.Run(() => KeepConnectedAsync(peer, address)));
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _stopping.Cancel();
        foreach (var socket in _listeners)
        {
            socket.Dispose();
        }
        Connection[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }
        await Task.WhenAll(open.Select(c => c.CloseAsync())).WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(open.Select(c => c.Completion)).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_background).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    public async Task<IConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken = default)
    {
        var expected = address.PeerId;
        if (expected is not null)
        {
            if (expected == LocalPeerId)
            {
                throw new InvalidOperationException("refusing to dial ourselves");
            }
            if (GetConnections(expected).FirstOrDefault() is { } existing)
            {
                return existing;
            }
            return await DedupeAsync(expected, () => DialAddressAsync(address.WithoutPeerId(), expected, cancellationToken)).ConfigureAwait(false);
        }
        return await DialAddressAsync(address, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IConnection> DialAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        if (GetConnections(peer).FirstOrDefault() is { } existing)
        {
            return existing;
        }
        if (_backoff.IsBackedOff(peer, out var remaining))
        {
            throw new DialBackoffException(peer, remaining);
        }
        return await DedupeAsync(peer, async () =>
        {
            var addresses = Peers.GetAddresses(peer).Where(TcpTransport.CanDial).ToArray();
            if (addresses.Length == 0)
            {
                throw new IOException($"no dialable address known for {peer}");
            }
            var failures = new List<Exception>();
            foreach (var address in addresses)
            {
                try
                {
                    return await DialAddressAsync(address, peer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failures.Add(e);
                }
            }
            throw new AggregateException($"all {addresses.Length} addresses of {peer} failed", failures);
        }).ConfigureAwait(false);
    }

    public async Task<IStream> OpenStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default)
    {
        var connection = await DialAsync(peer, cancellationToken).ConfigureAwait(false);
        return await connection.OpenStreamAsync(protocols, cancellationToken).ConfigureAwait(false);
    }

    public async Task DisconnectAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(GetConnections(peer).Select(c => c.CloseAsync(cancellationToken))).ConfigureAwait(false);
    }

    private async Task<IConnection> DedupeAsync(PeerId peer, Func<Task<IConnection>> dial)
    {
        var created = new TaskCompletionSource<IConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = _pendingDials.GetOrAdd(peer, created.Task);
        if (pending != created.Task)
        {
            return await pending.ConfigureAwait(false);
        }
        try
        {
            var connection = await dial().ConfigureAwait(false);
            created.TrySetResult(connection);
            return connection;
        }
        catch (Exception e)
        {
            created.TrySetException(e);
            _ = created.Task.Exception; // observed
            throw;
        }
        finally
        {
            _pendingDials.TryRemove(new KeyValuePair<PeerId, Task<IConnection>>(peer, created.Task));
        }
    }

    private async Task<IConnection> DialAddressAsync(Multiaddr address, PeerId? expected, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(_options.DialTimeout);
        SocketPipe? socket = null;
        try
        {
            socket = await TcpTransport.DialAsync(address, timeout.Token).ConfigureAwait(false);
            var connection = await UpgradeAsync(socket, Direction.Outbound, expected, timeout.Token).ConfigureAwait(false);
            _backoff.RecordSuccess(connection.RemotePeer);
            Peers.AddAddresses(connection.RemotePeer, [address], _options.AddressTtl);
            return Register(connection);
        }
        catch (Exception e)
        {
            if (socket is not null)
            {
                await socket.DisposeAsync().ConfigureAwait(false);
            }
            if (expected is not null)
            {
                _backoff.RecordFailure(expected);
            }
            _logger.LogDebug("dial {Address} failed: {Reason}", address, e.Message);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"dial {address} timed out after {_options.DialTimeout}", e);
            }
            throw;
        }
    }

    private async Task<Connection> UpgradeAsync(SocketPipe socket, Direction direction, PeerId? expected, CancellationToken cancellationToken)
    {
        NoiseSecureChannel secure;
        string muxer;
        if (direction == Direction.Outbound)
        {
            await MultistreamSelect.SelectAsync(socket, [NoiseSecurity.ProtocolId], cancellationToken).ConfigureAwait(false);
            secure = await _noise.SecureOutboundAsync(socket, expected, cancellationToken).ConfigureAwait(false);
            muxer = await SelectMuxerAsync(secure, () => MultistreamSelect.SelectAsync(secure, [YamuxSession.ProtocolId], cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            await MultistreamSelect.ListenAsync(socket, p => p == NoiseSecurity.ProtocolId, () => [NoiseSecurity.ProtocolId], cancellationToken).ConfigureAwait(false);
            secure = await _noise.SecureInboundAsync(socket, cancellationToken).ConfigureAwait(false);
            muxer = await SelectMuxerAsync(secure, () => MultistreamSelect.ListenAsync(secure, p => p == YamuxSession.ProtocolId, () => [YamuxSession.ProtocolId], cancellationToken)).ConfigureAwait(false);
        }
        var session = new YamuxSession(secure, isClient: direction == Direction.Outbound, _yamux, _loggers.CreateLogger<YamuxSession>(), _time);
        var connection = new Connection(socket, secure, session, direction, _time.GetUtcNow(), _options.NegotiationTimeout);
        session.InboundStream = stream => _ = HandleInboundStreamAsync(connection, stream);
        session.RoundTripMeasured = rtt => Peers.RecordLatency(connection.RemotePeer, rtt);
        _ = muxer;
        return connection;
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

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _logger.LogDebug("accept failed: {Reason}", e.Message);
                continue;
            }
            if (!_pendingUpgrades.Wait(0))
            {
                _logger.LogWarning("inbound connection refused: {Count} handshakes already in progress", MaxPendingUpgrades);
                client.Dispose();
                continue;
            }
            _ = Task.Run(() => HandleInboundSocketAsync(client));
        }
    }

    private async Task HandleInboundSocketAsync(Socket client)
    {
        SocketPipe? socket = null;
        try
        {
            try
            {
                socket = new SocketPipe(client);
            }
            catch
            {
                _pendingUpgrades.Release();
                throw;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.UpgradeTimeout);
            Connection connection;
            try
            {
                connection = await UpgradeAsync(socket, Direction.Inbound, null, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _pendingUpgrades.Release();
            }
            Register(connection);
        }
        catch (Exception e)
        {
            _logger.LogInformation("inbound connection from {Remote} rejected: {Reason}", socket?.RemoteEndPoint, e.Message);
            if (socket is not null)
            {
                await socket.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                client.Dispose();
            }
        }
    }

    /// <summary>Adds the connection; of two to the same peer in opposite directions, both sides keep the one dialled by the smaller peer id.</summary>
    private Connection Register(Connection connection)
    {
        Connection? loser = null;
        Connection winner = connection;
        Connection[] trimmed;
        lock (_gate)
        {
            var existing = _connections.FirstOrDefault(c => c.RemotePeer == connection.RemotePeer && !c.IsClosed);
            _connections.Add(connection);
            if (existing is not null)
            {
                winner = existing.Direction == connection.Direction || KeepFirst(existing, connection) ? existing : connection;
                loser = winner == existing ? connection : existing;
            }
            trimmed = SelectTrimmed();
        }
        Peers.AddPublicKey(connection.RemotePeer, connection.RemotePublicKey);
        connection.Session.Start();
        _ = WatchAsync(connection);
        _ = MeasureLatencyAsync(connection);
        _logger.LogDebug("connection {Connection} open", connection);
        PeerConnected?.Invoke(connection);
        Identify.OnConnected(connection);
        if (loser is not null)
        {
            _logger.LogDebug("closing duplicate connection {Connection}", loser);
            _ = loser.CloseAsync();
        }
        foreach (var victim in trimmed)
        {
            _logger.LogDebug("connection manager trims {Connection}", victim);
            _ = victim.CloseAsync();
        }
        return winner;
    }

    /// <summary>One yamux ping right away, so the peer store has a round-trip time before the first keep-alive.</summary>
    private async Task MeasureLatencyAsync(Connection connection)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.NegotiationTimeout);
            await connection.Session.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private bool KeepFirst(Connection first, Connection second)
    {
        var dialerOfFirst = first.Direction == Direction.Outbound ? LocalPeerId : first.RemotePeer;
        var dialerOfSecond = second.Direction == Direction.Outbound ? LocalPeerId : second.RemotePeer;
        return dialerOfFirst.Bytes.SequenceCompareTo(dialerOfSecond.Bytes) <= 0;
    }

    private Connection[] SelectTrimmed()
    {
        var open = _connections.Where(c => !c.IsClosed).ToList();
        if (open.Count <= _options.ConnectionsHighWater)
        {
            return [];
        }
        var cutoff = _time.GetUtcNow() - _options.ConnectionGracePeriod;
        return open.Where(c => c.OpenedAt < cutoff).OrderBy(c => c.OpenedAt)
            .Take(open.Count - _options.ConnectionsLowWater).ToArray();
    }

    private async Task WatchAsync(Connection connection)
    {
        await connection.Completion.ConfigureAwait(false);
        bool last;
        lock (_gate)
        {
            _connections.Remove(connection);
            last = !_connections.Any(c => c.RemotePeer == connection.RemotePeer);
        }
        var reason = connection.Session.CloseReason;
        if (reason is null)
        {
            _logger.LogDebug("connection {Connection} closed", connection);
        }
        else
        {
            _logger.LogInformation("connection {Connection} closed: {Reason}", connection, reason);
        }
        if (last)
        {
            PeerDisconnected?.Invoke(connection.RemotePeer);
        }
    }

    private async Task HandleInboundStreamAsync(Connection connection, YamuxStream inner)
    {
        Libp2pStream? stream = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.NegotiationTimeout);
            var protocol = await MultistreamSelect.ListenAsync(inner, _handlers.ContainsKey, () => Protocols, timeout.Token).ConfigureAwait(false);
            if (!_handlers.TryGetValue(protocol, out var handler))
            {
                inner.Reset();
                return;
            }
            stream = connection.Track(new Libp2pStream(connection, inner, protocol, Direction.Inbound));
            await handler(stream, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogDebug("inbound stream {Stream} on {Connection} failed: {Reason}", inner.Id, connection.Id, e.Message);
            inner.Reset();
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task KeepConnectedAsync(PeerId peer, Multiaddr address)
    {
        var token = _stopping.Token;
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var connection = GetConnections(peer).FirstOrDefault() ?? await DialAsync(address, token).ConfigureAwait(false);
                failures = 0;
                await connection.Completion.WaitAsync(token).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                _logger.LogInformation("bootstrap peer {Address} unreachable (attempt {Attempt}): {Reason}", address, failures, e.Message);
            }
            var delay = TimeSpan.FromTicks((long)Math.Min(_options.DialBackoffMax.Ticks, _options.DialBackoffBase.Ticks * Math.Pow(2, Math.Min(failures - 1, 30))));
            try
            {
                await Task.Delay(delay, _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
