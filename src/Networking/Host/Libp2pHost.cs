using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Core;
using P2P.Networking.Host.Admission;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Logging;
using P2P.Networking.Metrics;
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
public sealed class Libp2pHost : IP2PHost
{
    private readonly NetworkOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Upgrader _upgrader;
    private readonly ConcurrentDictionary<string, StreamHandler> _handlers = new();
    private readonly ConcurrentDictionary<PeerId, Task<IConnection>> _pendingDials = new();
    private readonly ConnectionManager _connections;
    private readonly PeerReputation _reputation;
    /// <summary>Orders connection-set changes with the PeerConnected/PeerDisconnected events that announce them.</summary>
    private readonly object _membership = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _background = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly DialBackoff _backoff;
    private readonly HandshakeAdmission _admission;
    /// <summary>Remote parties control how many connections are rejected, so those log lines are throttled.</summary>
    private readonly RateLimitedLog _rejections;
    /// <summary>How long stopping waits for connections and background loops to finish.</summary>
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(5);
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
        _reputation = new PeerReputation(this, _options, _time, _loggers.CreateLogger<PeerReputation>());
        _connections = new ConnectionManager(LocalPeerId, _options, _time, _reputation.IsProtected);
        _backoff = new DialBackoff(_time, _options.DialBackoffBase, _options.DialBackoffMax);
        var yamux = new YamuxOptions { KeepAliveInterval = _options.KeepAliveInterval, PingTimeout = _options.KeepAliveTimeout, MaxInboundStreams = _options.MaxInboundStreamsPerConnection };
        _upgrader = new Upgrader(new NoiseSecurity(key), yamux, _loggers, _time, _options.NegotiationTimeout);
        Peers = new PeerStore(_time);
        var knownPeers = new KnownPeerAddresses(Peers, _time, KnownPeerAddresses.DefaultRefresh);
        _admission = new HandshakeAdmission(_options.Admission, knownPeers.Contains);
        _rejections = new RateLimitedLog(_logger, _time, RejectionLogWindow, RejectionLogBurst, "rejected", "inbound connections");
        Identify = new IdentifyService(this, _options, _loggers.CreateLogger<IdentifyService>());
        Identify.Identified += info => PeerIdentified?.Invoke(info);
        Ping = new PingService(this);
    }

    /// <summary>Per window, this many rejected inbound connections are logged one by one, the rest in one summary line.</summary>
    public const int RejectionLogBurst = 10;

    public static readonly TimeSpan RejectionLogWindow = TimeSpan.FromSeconds(10);

    public PeerId LocalPeerId { get; }

    public PrivateKey PrivateKey { get; }

    public IReadOnlyList<Multiaddr> ListenAddresses => _listenAddresses;

    public IPeerStore Peers { get; }

    public IPeerReputation Reputation => _reputation;

    public IdentifyService Identify { get; }

    public PingService Ping { get; }

    internal NetworkOptions Options => _options;

    public TimeProvider Time => _time;

    public IReadOnlyCollection<IConnection> Connections
    {
        get
        {
            return _connections.Open();
        }
    }

    public IReadOnlyCollection<PeerId> ConnectedPeers => Connections.Select(c => c.RemotePeer).Distinct().ToArray();

    public IReadOnlyCollection<string> Protocols => _handlers.Keys.Order(StringComparer.Ordinal).ToArray();

    public event Action<IConnection>? PeerConnected;

    public event Action<PeerId>? PeerDisconnected;

    public event Action<IdentifyInfo>? PeerIdentified;

    public IReadOnlyList<IConnection> GetConnections(PeerId peer)
    {
        return _connections.ForPeer(peer);
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
        _logger.LogDebug("libp2p host {PeerId} listening on {Addresses}", LocalPeerId, string.Join(", ", _listenAddresses));
        foreach (var text in _options.BootstrapPeers)
        {
            var address = Multiaddr.Parse(text);
            var peer = address.PeerId ?? throw new FormatException($"bootstrap peer {text} lacks /p2p/<id>");
            Peers.AddAddresses(peer, [address], TimeSpan.MaxValue);
            var bootstrap = new BootstrapConnector(this, peer, address, _options, _time, _logger);
            _background.Add(Task.Run(() => bootstrap.RunAsync(_stopping.Token)));
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
        _rejections.Dispose();
        foreach (var socket in _listeners)
        {
            socket.Dispose();
        }
        var open = _connections.All();
        await Task.WhenAll(open.Select(c => c.CloseAsync())).WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(open.Select(c => c.Completion)).WaitAsync(StopLimit, _time, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_background).WaitAsync(StopLimit, _time, cancellationToken).ConfigureAwait(false);
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
            ThrowIfBanned(expected);
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
        ThrowIfBanned(peer);
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

    private void ThrowIfBanned(PeerId peer)
    {
        if (_reputation.BannedUntil(peer) is { } until)
        {
            throw new PeerBannedException(peer, until);
        }
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
        using var timeout = new Deadline(_time, _options.DialTimeout, cancellationToken, _stopping.Token);
        if (_admission.TryAdmitOutbound(out var slot) is var refusal && refusal != AdmissionRefusal.None)
        {
            throw new IOException($"dial {address} refused: {_admission.Describe(refusal, null)}");
        }
        using var handshake = slot!;
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
        var connection = await _upgrader.UpgradeAsync(socket, direction, expected, cancellationToken).ConfigureAwait(false);
        if (_reputation.BannedUntil(connection.RemotePeer) is { } until)
        {
            await connection.CloseAsync(cancellationToken).ConfigureAwait(false);
            throw new PeerBannedException(connection.RemotePeer, until);
        }
        connection.Session.InboundStream = stream => _ = HandleInboundStreamAsync(connection, stream);
        connection.Session.RoundTripMeasured = rtt => Peers.RecordLatency(connection.RemotePeer, rtt);
        return connection;
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
            if (client.RemoteEndPoint is not System.Net.IPEndPoint remoteEndPoint)
            {
                client.Dispose();
                continue;
            }
            var remote = remoteEndPoint.Address;
            var refusal = _admission.TryAdmitInbound(remote, out var slot);
            if (refusal != AdmissionRefusal.None)
            {
                client.Dispose();
                var reason = _admission.Describe(refusal, remote);
                _rejections.Record("limit", log => log.LogInformation("inbound connection from {Remote} rejected: {Reason}", remote, reason));
                continue;
            }
            _ = Task.Run(() => HandleInboundSocketAsync(client, remoteEndPoint, slot!));
        }
    }

    private async Task HandleInboundSocketAsync(Socket client, System.Net.IPEndPoint remote, HandshakeSlot slot)
    {
        SocketPipe? socket = null;
        using var timeout = new Deadline(_time, _options.UpgradeTimeout, _stopping.Token);
        try
        {
            Connection connection;
            using (slot)
            {
                socket = new SocketPipe(client);
                connection = await UpgradeAsync(socket, Direction.Inbound, null, timeout.Token).ConfigureAwait(false);
            }
            Register(connection);
        }
        catch (Exception e)
        {
            var timedOut = e is OperationCanceledException && timeout.Expired && !_stopping.IsCancellationRequested;
            var reason = timedOut ? $"handshake timed out after {_options.UpgradeTimeout.TotalSeconds:0.###} s" : e.Message;
            _rejections.Record(timedOut ? "handshake timeout" : "handshake failure",
                log => log.LogInformation("inbound connection from {Remote} rejected: {Reason}", remote, reason));
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

    /// <summary>Adds an upgraded connection, starts it, and closes a duplicate or trimmed ones (see <see cref="ConnectionManager"/>).</summary>
    private Connection Register(Connection connection)
    {
        Connection winner;
        Connection? loser;
        Connection[] trimmed;
        // Adding a connection and announcing it happen together with forgetting a closed one and announcing the
        // peer gone (WatchAsync): otherwise a stale "last connection closed" can be announced after a newer
        // connection was, and subscribers such as pubsub drop a peer that is in fact connected.
        lock (_membership)
        {
            (winner, loser, trimmed) = _connections.Add(connection);
            Peers.AddPublicKey(connection.RemotePeer, connection.RemotePublicKey);
            connection.Session.Start();
            _ = WatchAsync(connection);
            _logger.LogDebug("connection {Connection} open", connection);
            NetworkingMetrics.ConnectionOpened(connection.Direction);
            PeerConnected?.Invoke(connection);
        }
        _ = MeasureLatencyAsync(connection);
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
            using var timeout = new CancellationTokenSource(_options.NegotiationTimeout, _time);
            await connection.Session.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task WatchAsync(Connection connection)
    {
        await connection.Completion.ConfigureAwait(false);
        NetworkingMetrics.ConnectionClosed(connection.Direction);
        var reason = connection.Session.CloseReason;
        if (reason is null)
        {
            _logger.LogDebug("connection {Connection} closed", connection);
        }
        else
        {
            _logger.LogInformation("connection {Connection} closed: {Reason}", connection, reason);
        }
        lock (_membership)
        {
            if (_connections.Remove(connection))
            {
                PeerDisconnected?.Invoke(connection.RemotePeer);
            }
        }
    }

    private async Task HandleInboundStreamAsync(Connection connection, YamuxStream inner)
    {
        Libp2pStream? stream = null;
        try
        {
            using var timeout = new Deadline(_time, _options.NegotiationTimeout, _stopping.Token);
            var protocol = await MultistreamSelect.ListenAsync(inner, _handlers.ContainsKey, () => Protocols, timeout.Token).ConfigureAwait(false);
            if (!_handlers.TryGetValue(protocol, out var handler))
            {
                inner.Reset();
                return;
            }
            stream = connection.Track(new Libp2pStream(connection, inner, protocol, Direction.Inbound));
            NetworkingMetrics.StreamOpened(Direction.Inbound, protocol);
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
}
