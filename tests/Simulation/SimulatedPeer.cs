using P2P.Networking.Identity;
using P2P.Networking.Pubsub;
using P2P.Networking.RequestResponse;

namespace P2P.Simulation;

/// <summary>One node of a <see cref="SimulatedNetwork"/>: a real gossipsub instance, request/response endpoints and a reputation.</summary>
public sealed class SimulatedPeer
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ISimulatedServer> _servers = new(StringComparer.Ordinal);
    private readonly HashSet<PeerId> _connected = [];
    private readonly List<MessageLog> _logs = [];

    internal SimulatedPeer(SimulatedNetwork network, PrivateKey key, GossipsubOptions options, Random random)
    {
        Network = network;
        Id = key.PeerId;
        Pubsub = new Gossipsub(options, new PubsubIdentity(key), new SimulatedPubsubTransport(this), network.Time, random);
        Reputation = new SimulatedReputation(this);
        Pubsub.Router.ApplicationScore = Reputation.ApplicationScore;
        var deliver = Pubsub.Router.Delivered;
        Pubsub.Router.Delivered = message =>
        {
            deliver?.Invoke(message);
            Record(message);
        };
        RequestResponse = new SimulatedRequestResponseFactory(this);
    }

    public SimulatedNetwork Network { get; }

    public PeerId Id { get; }

    /// <summary>The peer's gossipsub (its heartbeat runs on the simulated clock).</summary>
    public Gossipsub Pubsub { get; }

    public IRequestResponseFactory RequestResponse { get; }

    public SimulatedReputation Reputation { get; }

    public bool IsConnectedTo(SimulatedPeer other)
    {
        lock (_gate)
        {
            return _connected.Contains(other.Id);
        }
    }

    /// <summary>Subscribes to the topic and records every message delivered to this peer on it, as it is delivered.</summary>
    public MessageLog Record(string topic)
    {
        var log = new MessageLog(Pubsub.Subscribe(topic));
        lock (_gate)
        {
            _logs.Add(log);
        }
        return log;
    }

    private void Record(PubsubMessage message)
    {
        lock (_gate)
        {
            foreach (var log in _logs)
            {
                if (log.Topic == message.Topic)
                {
                    log.Add(message);
                }
            }
        }
    }

    internal void OnConnected(SimulatedPeer other, bool outbound)
    {
        lock (_gate)
        {
            _connected.Add(other.Id);
        }
        Pubsub.Router.AddPeer(other.Id, GossipProtocol.Meshsub11, outbound, "10.0.0.1");
        // What a stream transport writes first on its new outbound stream: our subscriptions.
        if (Pubsub.Router.SubscriptionAnnouncement() is { } hello)
        {
            new SimulatedPubsubTransport(this).Send(other.Id, hello);
        }
    }

    internal void OnDisconnected(SimulatedPeer other)
    {
        lock (_gate)
        {
            _connected.Remove(other.Id);
        }
        Pubsub.Router.RemovePeer(other.Id);
    }

    internal IDisposable Register(string protocolId, ISimulatedServer server)
    {
        lock (_gate)
        {
            _servers[protocolId] = server;
        }
        return new Registration(this, protocolId, server);
    }

    internal ISimulatedServer? Server(string protocolId)
    {
        lock (_gate)
        {
            return _servers.GetValueOrDefault(protocolId);
        }
    }

    public override string ToString() => Id.ToString()[^6..];

    private sealed class Registration(SimulatedPeer peer, string protocolId, ISimulatedServer server) : IDisposable
    {
        public void Dispose()
        {
            lock (peer._gate)
            {
                if (peer._servers.TryGetValue(protocolId, out var current) && current == server)
                {
                    peer._servers.Remove(protocolId);
                }
            }
        }
    }
}
