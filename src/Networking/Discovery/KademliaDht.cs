using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Core;
using P2P.Networking.Discovery.Protos;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;
using P2P.Networking.Streams;

namespace P2P.Networking.Discovery;

/// <summary>
/// A Kademlia DHT node in server mode (<c>/ipfs/kad/1.0.0</c>) for peer discovery: it answers FIND_NODE and PING,
/// keeps a k-bucket routing table of peers that speak the protocol, and runs iterative FIND_NODE lookups.
/// </summary>
public sealed class KademliaDht : IAsyncDisposable
{
    public const string ProtocolId = "/ipfs/kad/1.0.0";

    private readonly IP2PHost _host;
    private readonly KademliaOptions _options;
    private readonly ILogger _log;

    public KademliaDht(IP2PHost host, KademliaOptions options, ILogger? logger = null)
    {
        _host = host;
        _options = options;
        _log = logger ?? NullLogger.Instance;
        Table = new RoutingTable(host.LocalPeerId, options.K);
    }

    public RoutingTable Table { get; }

    /// <summary>Serves the protocol and follows identify to fill the routing table.</summary>
    public void Start()
    {
        _host.SetStreamHandler(ProtocolId, ServeAsync);
        _host.PeerIdentified += OnPeerIdentified;
        _host.PeerDisconnected += OnPeerDisconnected;
        foreach (var peer in _host.ConnectedPeers)
        {
            if (_host.Peers.GetProtocols(peer).Contains(ProtocolId))
            {
                Table.TryAdd(peer);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _host.PeerIdentified -= OnPeerIdentified;
        _host.PeerDisconnected -= OnPeerDisconnected;
        _host.RemoveStreamHandler(ProtocolId);
        return ValueTask.CompletedTask;
    }

    /// <summary>Asks one peer for the peers it knows closest to <paramref name="key"/>; their addresses go to the peer store.</summary>
    public async Task<IReadOnlyList<PeerId>> FindNodeAsync(PeerId peer, byte[] key, CancellationToken cancellationToken)
    {
        using var timeout = new Deadline(_host.Time, _options.QueryTimeout, cancellationToken);
        var token = timeout.Token;
        await using var stream = await _host.OpenStreamAsync(peer, ProtocolId, token).ConfigureAwait(false);
        var request = new Message { Type = Message.Types.MessageType.FindNode, Key = ByteString.CopyFrom(key) };
        await WriteAsync(stream, request, token).ConfigureAwait(false);
        // No half-close before the answer: js's handler stops serving a stream whose read side has ended.
        var response = await ReadAsync(stream, token).ConfigureAwait(false)
            ?? throw new ProtocolViolationException("FIND_NODE: stream closed without an answer");
        Table.TryAdd(peer);
        var found = new List<PeerId>();
        foreach (var info in response.CloserPeers)
        {
            PeerId id;
            try
            {
                id = PeerId.FromBytes(info.Id.Span);
            }
            catch (FormatException)
            {
                continue;
            }
            if (id == _host.LocalPeerId)
            {
                continue;
            }
            var addresses = new List<Multiaddr>();
            foreach (var raw in info.Addrs)
            {
                try
                {
                    addresses.Add(Multiaddr.FromBytes(raw.Span).WithoutPeerId());
                }
                catch (FormatException)
                {
                }
            }
            if (addresses.Count > 0)
            {
                _host.Peers.AddAddresses(id, addresses, _options.AddressTtl);
            }
            found.Add(id);
        }
        return found;
    }

    /// <summary>Iterative lookup: the k closest peers to <paramref name="key"/> that answered, asking α at a time.</summary>
    public async Task<IReadOnlyList<PeerId>> LookupAsync(byte[] key, CancellationToken cancellationToken)
    {
        var target = KadKey.FromBytes(key);
        var byDistance = Comparer<PeerId>.Create((a, b) =>
        {
            var c = target.CompareDistance(KadKey.FromPeer(a), KadKey.FromPeer(b));
            return c != 0 ? c : a.ToString().CompareTo(b.ToString());
        });
        var candidates = new SortedSet<PeerId>(Table.Nearest(target, _options.K), byDistance);
        var queried = new HashSet<PeerId>();
        var answered = new SortedSet<PeerId>(byDistance);
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = candidates.Where(p => !queried.Contains(p)).Take(_options.K).Take(_options.Alpha).ToList();
            if (batch.Count == 0)
            {
                break;
            }
            queried.UnionWith(batch);
            var results = await Task.WhenAll(batch.Select(async peer =>
            {
                try
                {
                    return (peer, await FindNodeAsync(peer, key, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _log.LogDebug("FIND_NODE to {Peer} failed: {Reason}", peer, e.Message);
                    return (peer, (IReadOnlyList<PeerId>?)null);
                }
            })).ConfigureAwait(false);
            foreach (var (peer, found) in results)
            {
                if (found is null)
                {
                    candidates.Remove(peer);
                    continue;
                }
                answered.Add(peer);
                candidates.UnionWith(found);
            }
            // Stop once the k closest candidates have all been asked.
            if (candidates.Take(_options.K).All(queried.Contains))
            {
                break;
            }
        }
        return answered.Take(_options.K).ToList();
    }

    /// <summary>A lookup of our own id, which also tells the peers near us that we exist.</summary>
    public Task<IReadOnlyList<PeerId>> SelfLookupAsync(CancellationToken cancellationToken) =>
        LookupAsync(_host.LocalPeerId.ToByteArray(), cancellationToken);

    /// <summary>A lookup of a random key, to learn peers in distant buckets.</summary>
    public Task<IReadOnlyList<PeerId>> RandomWalkAsync(Random random, CancellationToken cancellationToken)
    {
        var key = new byte[32];
        random.NextBytes(key);
        return LookupAsync(key, cancellationToken);
    }

    private void OnPeerIdentified(IdentifyInfo info)
    {
        if (info.Protocols.Contains(ProtocolId))
        {
            Table.TryAdd(info.Peer);
        }
    }

    private void OnPeerDisconnected(PeerId peer) => Table.Remove(peer);

    private async Task ServeAsync(IStream stream, CancellationToken cancellationToken)
    {
        try
        {
            while (await ReadAsync(stream, cancellationToken).ConfigureAwait(false) is { } request)
            {
                await WriteAsync(stream, Answer(stream.RemotePeer, request), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ProtocolViolationException e)
        {
            _log.LogInformation("closing kad stream from {Peer}: {Reason}", stream.RemotePeer, e.Message);
            stream.Reset();
        }
    }

    private Message Answer(PeerId requester, Message request)
    {
        var response = new Message { Type = request.Type, Key = request.Key };
        if (request.Type == Message.Types.MessageType.Ping)
        {
            return response;
        }
        if (request.Type is Message.Types.MessageType.FindNode or Message.Types.MessageType.GetProviders or Message.Types.MessageType.GetValue)
        {
            var connected = _host.ConnectedPeers.ToHashSet();
            foreach (var peer in Table.Nearest(KadKey.FromBytes(request.Key.Span), _options.K + 1).Where(p => p != requester).Take(_options.K))
            {
                var info = new Message.Types.Peer
                {
                    Id = ByteString.CopyFrom(peer.Bytes),
                    Connection = connected.Contains(peer) ? Message.Types.ConnectionType.Connected : Message.Types.ConnectionType.NotConnected,
                };
                foreach (var address in _host.Peers.GetAddresses(peer))
                {
                    info.Addrs.Add(ByteString.CopyFrom(address.ToBytes()));
                }
                response.CloserPeers.Add(info);
            }
        }
        return response;
    }

    private async Task<Message?> ReadAsync(IStream stream, CancellationToken cancellationToken)
    {
        var body = await LengthPrefixed.ReadAsync(stream.Input, _options.MaxMessageSize, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }
        try
        {
            return Message.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ProtocolViolationException("malformed kad message", e);
        }
    }

    private static async Task WriteAsync(IStream stream, Message message, CancellationToken cancellationToken) =>
        await LengthPrefixed.WriteAsync(stream.Output, message.ToByteArray(), cancellationToken).ConfigureAwait(false);
}
