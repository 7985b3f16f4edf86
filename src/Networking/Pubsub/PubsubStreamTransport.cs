using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Core;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub.Protos;
using P2P.Networking.Streams;

namespace P2P.Networking.Pubsub;

/// <summary>
/// Runs the router over libp2p streams: one long-lived outbound stream per peer for writing, the peer's inbound
/// stream for reading, each RPC uvarint-length-prefixed (<c>/meshsub/1.2.0</c>, <c>/meshsub/1.1.0</c>, <c>/meshsub/1.0.0</c>).
/// </summary>
public sealed class PubsubStreamTransport : IPubsubTransport, IAsyncDisposable
{
    public const string Meshsub12 = "/meshsub/1.2.0";
    public const string Meshsub11 = "/meshsub/1.1.0";
    public const string Meshsub10 = "/meshsub/1.0.0";
    private static readonly string[] Protocols = [Meshsub12, Meshsub11, Meshsub10];

    private readonly IP2PHost _host;
    private readonly GossipsubOptions _options;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<PeerId, PeerLink> _links = new();
    private readonly CancellationTokenSource _stopping = new();
    private GossipsubRouter? _router;

    public PubsubStreamTransport(IP2PHost host, GossipsubOptions options, ILogger? logger = null)
    {
        _host = host;
        _options = options;
        _log = logger ?? NullLogger.Instance;
    }

    /// <summary>How many RPCs may wait for one slow peer before further ones to it are dropped.</summary>
    public int OutboundQueueSize { get; init; } = 4096;

    /// <summary>Limit for dialling a peer learned by peer exchange.</summary>
    public TimeSpan PeerExchangeDialTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause before reopening an outbound stream that failed while the connection stayed up.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    private GossipsubRouter Router => _router ?? throw new InvalidOperationException("transport is not attached to a router");

    /// <summary>Connects the router to the host: registers the protocol handlers and follows connections.</summary>
    public void Attach(GossipsubRouter router)
    {
        _router = router;
        foreach (var protocol in Protocols)
        {
            _host.SetStreamHandler(protocol, HandleInboundAsync);
        }
        _host.PeerConnected += OnPeerConnected;
        _host.PeerDisconnected += OnPeerDisconnected;
        foreach (var connection in _host.Connections)
        {
            OnPeerConnected(connection);
        }
    }

    public void Send(PeerId peer, RPC rpc)
    {
        if (_links.TryGetValue(peer, out var link) && !link.Queue.Writer.TryWrite(rpc))
        {
            _log.LogDebug("outbound queue to {Peer} is full; dropping an RPC", peer);
        }
    }

    public void Connect(PeerId peer, byte[]? signedPeerRecord)
    {
        if (_stopping.IsCancellationRequested || _host.ConnectedPeers.Contains(peer))
        {
            return;
        }
        _ = DialQuietlyAsync(peer);
    }

    public async ValueTask DisposeAsync()
    {
        _host.PeerConnected -= OnPeerConnected;
        _host.PeerDisconnected -= OnPeerDisconnected;
        foreach (var protocol in Protocols)
        {
            _host.RemoveStreamHandler(protocol);
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var link in _links.Values)
        {
            link.Stop();
        }
        await Task.WhenAll(_links.Values.Select(l => l.Writer)).ConfigureAwait(false);
    }

    private async Task DialQuietlyAsync(PeerId peer)
    {
        using var timeout = new Deadline(_host.Time, PeerExchangeDialTimeout, _stopping.Token);
        try
        {
            await _host.DialAsync(peer, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.LogDebug("peer-exchange dial to {Peer} failed: {Reason}", peer, e.Message);
        }
    }

    private void OnPeerConnected(IConnection connection) => EnsureLink(connection.RemotePeer);

    private void OnPeerDisconnected(PeerId peer)
    {
        if (_links.TryRemove(peer, out var link))
        {
            link.Stop();
        }
        Router.RemovePeer(peer);
    }

    private PeerLink EnsureLink(PeerId peer)
    {
        while (true)
        {
            if (_links.TryGetValue(peer, out var existing))
            {
                return existing;
            }
            var link = new PeerLink(peer, OutboundQueueSize, _stopping.Token);
            if (_links.TryAdd(peer, link))
            {
                link.Writer = Task.Run(() => WriteLoopAsync(link));
                return link;
            }
        }
    }

    private void AddToRouter(PeerId peer, string protocol, IConnection connection)
    {
        var ip = connection.RemoteAddress.ToIPEndPoint()?.Address.ToString();
        var version = protocol switch
        {
            Meshsub10 => GossipProtocol.Meshsub10,
            Meshsub12 => GossipProtocol.Meshsub12,
            _ => GossipProtocol.Meshsub11,
        };
        Router.AddPeer(peer, version, connection.Direction == Direction.Outbound, ip);
    }

    /// <summary>
    /// Drains the link's queue into an outbound stream for as long as the peer is connected. A stream that breaks on a
    /// live connection (say a duplicate connection closed under it) is reopened after <see cref="RetryDelay"/> by the
    /// same link: RPCs queued meanwhile wait in its queue, and those written to the broken stream since its last
    /// successful flush are written again, so a publish that meets a dead stream is delayed, not lost. The peer keeps
    /// its router state throughout (its subscriptions came on its own stream and are not sent again).
    /// </summary>
    private async Task WriteLoopAsync(PeerLink link)
    {
        var token = link.Cancellation.Token;
        var unsent = new List<RPC>();
        try
        {
            while (await WriteStreamAsync(link, unsent, token).ConfigureAwait(false))
            {
                if (unsent.Count > OutboundQueueSize)
                {
                    // Streams that keep breaking: like a full queue, the oldest RPCs go.
                    unsent.RemoveRange(0, unsent.Count - OutboundQueueSize);
                }
                await Task.Delay(RetryDelay, _host.Time, token).ConfigureAwait(false);
                if (!_host.ConnectedPeers.Contains(link.Peer))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            bool current = _links.TryRemove(KeyValuePair.Create(link.Peer, link));
            // A link that is no longer registered was stopped by a disconnect, which removed the peer; remove it again if
            // this stream added it back meanwhile.
            if (!_stopping.IsCancellationRequested && (current || !_host.ConnectedPeers.Contains(link.Peer)))
            {
                Router.RemovePeer(link.Peer);
            }
        }
    }

    /// <summary>
    /// One outbound stream: our subscriptions, then <paramref name="unsent"/>, then the queue. Returns true when the
    /// stream broke and should be reopened, with <paramref name="unsent"/> holding what it may not have delivered.
    /// </summary>
    private async Task<bool> WriteStreamAsync(PeerLink link, List<RPC> unsent, CancellationToken token)
    {
        IStream? stream = null;
        try
        {
            stream = await _host.OpenStreamAsync(link.Peer, Protocols, token).ConfigureAwait(false);
            AddToRouter(link.Peer, stream.Protocol, stream.Connection);
            // Every outbound stream starts with our subscriptions: one that replaces a broken stream cannot know
            // whether the peer read what the old one carried.
            if (Router.SubscriptionAnnouncement() is { } hello)
            {
                RpcFraming.Write(stream.Output, hello);
            }
            var reader = link.Queue.Reader;
            do
            {
                while (reader.TryRead(out var rpc))
                {
                    unsent.Add(rpc);
                }
                foreach (var rpc in unsent)
                {
                    RpcFraming.Write(stream.Output, rpc);
                }
                var flushed = await stream.Output.FlushAsync(token).ConfigureAwait(false);
                if (flushed.IsCompleted)
                {
                    return true; // the peer closed this stream; the connection may still be up
                }
                unsent.Clear();
            }
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false));
            return false;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (ProtocolNotSupportedException)
        {
            _log.LogDebug("{Peer} does not speak gossipsub", link.Peer);
            return false;
        }
        catch (Exception e)
        {
            _log.LogDebug("pubsub stream to {Peer} failed: {Reason}", link.Peer, e.Message);
            return true;
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task HandleInboundAsync(IStream stream, CancellationToken cancellationToken)
    {
        var peer = stream.RemotePeer;
        EnsureLink(peer);
        AddToRouter(peer, stream.Protocol, stream.Connection);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        var input = stream.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var rpcs = new List<RPC>();
                try
                {
                    while (RpcFraming.TryRead(ref buffer, _options.MaxRpcSize, out var rpc))
                    {
                        rpcs.Add(rpc!);
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
                foreach (var rpc in rpcs)
                {
                    await Router.HandleRpcAsync(peer, rpc, token).ConfigureAwait(false);
                }
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (ProtocolViolationException e)
        {
            _log.LogInformation("closing pubsub stream from {Peer}: {Reason}", peer, e.Message);
            stream.Reset();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>The writing side of one peer: its queue and the task that drains it into the outbound stream.</summary>
    private sealed class PeerLink(PeerId peer, int capacity, CancellationToken stopping)
    {
        public PeerId Peer { get; } = peer;

        public Channel<RPC> Queue { get; } = Channel.CreateBounded<RPC>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

        public CancellationTokenSource Cancellation { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);

        public Task Writer { get; set; } = Task.CompletedTask;

        public void Stop()
        {
            Queue.Writer.TryComplete();
            Cancellation.Cancel();
        }
    }
}
