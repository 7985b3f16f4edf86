using System.Runtime.CompilerServices;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using P2P.Networking.Core;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;
using P2P.Networking.Streams;
using IdentifyMessage = P2P.Networking.Protocols.Protos.Identify;

namespace P2P.Networking.Protocols;

/// <summary>
/// Identify (<c>/ipfs/id/1.0.0</c>): asked on every new connection and answered for every peer;
/// identify push (<c>/ipfs/id/push/1.0.0</c>) when our protocols change.
/// </summary>
public sealed class IdentifyService
{
    public const string ProtocolId = "/ipfs/id/1.0.0";
    public const string PushProtocolId = "/ipfs/id/push/1.0.0";
    public const int MaxMessageSize = 64 * 1024;
    private const int MaxListenAddresses = 64;

    private readonly IP2PHost _host;
    private readonly NetworkOptions _options;
    private readonly ILogger _logger;
    private readonly ConditionalWeakTable<IConnection, TaskCompletionSource<IdentifyInfo>> _identified = new();
    private int _pushPending;

    /// <summary>Registers the identify handlers on <paramref name="host"/>; the host calls <see cref="OnConnected"/> for every new connection.</summary>
    public IdentifyService(IP2PHost host, NetworkOptions options, ILogger logger)
    {
        _host = host;
        _options = options;
        _logger = logger;
        host.SetStreamHandler(ProtocolId, AnswerAsync);
        host.SetStreamHandler(PushProtocolId, ReceivePushAsync);
    }

    /// <summary>Addresses remote peers told us they see us at (most recent last).</summary>
    public IReadOnlyList<Multiaddr> ObservedAddresses
    {
        get
        {
            lock (_observed)
            {
                return [.. _observed];
            }
        }
    }

    private readonly List<Multiaddr> _observed = [];

    /// <summary>Raised after an identify (or push) from a peer was received and recorded in the peer store.</summary>
    public event Action<IdentifyInfo>? Identified;

    /// <summary>Waits for the remote's identify on this connection.</summary>
    public Task<IdentifyInfo> WaitIdentifiedAsync(IConnection connection, CancellationToken cancellationToken = default) =>
        IdentifiedSource(connection).Task.WaitAsync(cancellationToken);

    private TaskCompletionSource<IdentifyInfo> IdentifiedSource(IConnection connection) =>
        _identified.GetValue(connection, _ => new TaskCompletionSource<IdentifyInfo>(TaskCreationOptions.RunContinuationsAsynchronously));

    private IdentifyMessage BuildMessage(IConnection connection)
    {
        var message = new IdentifyMessage
        {
            PublicKey = ByteString.CopyFrom(_host.PrivateKey.PublicKey.Marshal()),
            ObservedAddr = ByteString.CopyFrom(connection.RemoteAddress.ToBytes()),
            ProtocolVersion = _options.ProtocolVersion,
            AgentVersion = _options.AgentVersion,
        };
        message.ListenAddrs.AddRange(_host.ListenAddresses.Select(a => ByteString.CopyFrom(a.ToBytes())));
        message.Protocols.AddRange(_host.Protocols);
        return message;
    }

    /// <summary>Asks the remote of a new connection for its identify (in the background).</summary>
    public void OnConnected(IConnection connection) => _ = RequestAsync(connection);

    private async Task RequestAsync(IConnection connection)
    {
        var identified = IdentifiedSource(connection);
        try
        {
            using var timeout = new CancellationTokenSource(_options.NegotiationTimeout, _host.Time);
            await using var stream = await connection.OpenStreamAsync([ProtocolId], timeout.Token).ConfigureAwait(false);
            var bytes = await LengthPrefixed.ReadAsync(stream.Input, MaxMessageSize, timeout.Token).ConfigureAwait(false)
                ?? throw new ProtocolViolationException("identify stream closed without a message");
            var info = Record(connection, IdentifyMessage.Parser.ParseFrom(bytes), push: false);
            identified.TrySetResult(info);
        }
        catch (Exception e)
        {
            _logger.LogDebug("identify of {Peer} failed: {Reason}", connection.RemotePeer, e.Message);
            identified.TrySetException(e);
            _ = identified.Task.Exception;
        }
    }

    private async Task AnswerAsync(IStream stream, CancellationToken cancellationToken)
    {
        await LengthPrefixed.WriteAsync(stream.Output, BuildMessage(stream.Connection).ToByteArray(), cancellationToken).ConfigureAwait(false);
        await stream.CloseWriteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ReceivePushAsync(IStream stream, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(_options.NegotiationTimeout, _host.Time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        var bytes = await LengthPrefixed.ReadAsync(stream.Input, MaxMessageSize, timeout.Token).ConfigureAwait(false);
        if (bytes is not null)
        {
            Record(stream.Connection, IdentifyMessage.Parser.ParseFrom(bytes), push: true);
        }
    }

    /// <summary>Tells every connected peer about our current protocols (coalesced).</summary>
    public void SchedulePush()
    {
        if (Interlocked.Exchange(ref _pushPending, 1) == 0)
        {
            _ = Task.Run(PushAllAsync);
        }
    }

    private async Task PushAllAsync()
    {
        Volatile.Write(ref _pushPending, 0);
        await Task.WhenAll(_host.Connections.Select(async connection =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(_options.NegotiationTimeout, _host.Time);
                await using var stream = await connection.OpenStreamAsync([PushProtocolId], timeout.Token).ConfigureAwait(false);
                await LengthPrefixed.WriteAsync(stream.Output, BuildMessage(connection).ToByteArray(), timeout.Token).ConfigureAwait(false);
                await stream.CloseWriteAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _logger.LogDebug("identify push to {Peer} failed: {Reason}", connection.RemotePeer, e.Message);
            }
        })).ConfigureAwait(false);
    }

    private IdentifyInfo Record(IConnection connection, IdentifyMessage message, bool push)
    {
        var peer = connection.RemotePeer;
        var key = connection.RemotePublicKey;
        if (message.HasPublicKey && !PublicKey.Unmarshal(message.PublicKey.Span).Equals(key))
        {
            throw new ProtocolViolationException($"identify from {peer} carries a different public key");
        }
        var addresses = new List<Multiaddr>();
        foreach (var raw in message.ListenAddrs.Take(MaxListenAddresses))
        {
            if (TryDecode(raw, out var address))
            {
                addresses.Add(address);
            }
        }
        var first = IdentifiedSource(connection).Task;
        var previous = first.IsCompletedSuccessfully ? first.Result : null;
        IReadOnlyList<string> protocols = push && message.Protocols.Count == 0 && previous is not null ? previous.Protocols : message.Protocols.ToArray();
        if (addresses.Count > 0)
        {
            _host.Peers.AddAddresses(peer, addresses, _options.AddressTtl);
        }
        _host.Peers.SetProtocols(peer, protocols);
        if (message.HasAgentVersion)
        {
            _host.Peers.SetAgentVersion(peer, message.AgentVersion);
        }
        Multiaddr? observed = null;
        if (message.HasObservedAddr && TryDecode(message.ObservedAddr, out var seen))
        {
            observed = seen;
            lock (_observed)
            {
                _observed.Remove(seen);
                _observed.Add(seen);
                if (_observed.Count > 16)
                {
                    _observed.RemoveAt(0);
                }
            }
        }
        var info = new IdentifyInfo(peer, key, addresses, protocols, observed,
            message.HasProtocolVersion ? message.ProtocolVersion : "", message.HasAgentVersion ? message.AgentVersion : "");
        _logger.LogDebug("identified {Peer}: {Agent}, {Count} protocols", peer, info.AgentVersion, protocols.Count);
        Identified?.Invoke(info);
        return info;
    }

    private static bool TryDecode(ByteString raw, out Multiaddr address)
    {
        try
        {
            address = Multiaddr.FromBytes(raw.Span);
            return true;
        }
        catch (FormatException)
        {
            address = null!;
            return false;
        }
    }
}
