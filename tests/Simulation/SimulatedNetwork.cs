using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Simulation;

/// <summary>
/// Peers running real gossipsub routers and request/response endpoints over simulated links with latency, jitter,
/// loss and partitions, all on one <see cref="FakeTimeProvider"/> and one seeded random source. Nothing happens until
/// the test runs the clock (<see cref="RunUntilAsync"/>); messages on a link arrive in the order sent.
/// </summary>
public sealed class SimulatedNetwork
{
    private readonly object _gate = new();
    private readonly PriorityQueue<Action, (DateTimeOffset At, long Sequence)> _events = new();
    private readonly Dictionary<(PeerId From, PeerId To), LinkConditions> _links = [];
    private readonly Dictionary<(PeerId From, PeerId To), DateTimeOffset> _lastArrival = [];
    private readonly HashSet<(PeerId, PeerId)> _cut = [];
    private readonly List<SimulatedPeer> _peers = [];
    private readonly Dictionary<PeerId, SimulatedPeer> _byId = [];
    private readonly List<HandlerInFlight> _handlers = [];
    private long _sequence;

    public SimulatedNetwork(int seed = 1)
    {
        Random = new Random(seed);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public Random Random { get; }

    /// <summary>How far the clock moves per step of <see cref="RunUntilAsync"/>: the resolution of latencies and timeouts.</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(1);

    public IReadOnlyList<SimulatedPeer> Peers => _peers;

    /// <summary>Messages handed to a link so far, and those it lost (randomly or to a partition).</summary>
    public int MessagesSent { get; private set; }

    public int MessagesLost { get; private set; }

    public SimulatedPeer AddPeer(GossipsubOptions? options = null)
    {
        var key = Ed25519PrivateKey.Generate(new Random(Random.Next()));
        var peer = new SimulatedPeer(this, key, options ?? DefaultGossipsubOptions(), new Random(Random.Next()));
        _peers.Add(peer);
        _byId[peer.Id] = peer;
        return peer;
    }

    /// <summary>Gossipsub defaults without the IP-colocation penalty (every simulated peer shares one address).</summary>
    public static GossipsubOptions DefaultGossipsubOptions()
    {
        var options = new GossipsubOptions();
        options.Score.IPColocationFactorWeight = 0;
        return options;
    }

    /// <summary>Links two peers both ways; <paramref name="dialer"/> counts as the outbound side for gossipsub.</summary>
    public void Connect(SimulatedPeer dialer, SimulatedPeer listener, LinkConditions? conditions = null)
    {
        lock (_gate)
        {
            _links[(dialer.Id, listener.Id)] = conditions ?? LinkConditions.Default;
            _links[(listener.Id, dialer.Id)] = conditions ?? LinkConditions.Default;
        }
        dialer.OnConnected(listener, outbound: true);
        listener.OnConnected(dialer, outbound: false);
    }

    public void ConnectAll(LinkConditions? conditions = null)
    {
        for (var i = 0; i < _peers.Count; i++)
        {
            for (var j = i + 1; j < _peers.Count; j++)
            {
                Connect(_peers[i], _peers[j], conditions);
            }
        }
    }

    /// <summary>Closes the link: both sides see the peer disconnect.</summary>
    public void Disconnect(SimulatedPeer a, SimulatedPeer b)
    {
        lock (_gate)
        {
            _links.Remove((a.Id, b.Id));
            _links.Remove((b.Id, a.Id));
        }
        a.OnDisconnected(b);
        b.OnDisconnected(a);
    }

    /// <summary>Changes the conditions of an existing link in one direction.</summary>
    public void SetLink(SimulatedPeer from, SimulatedPeer to, LinkConditions conditions)
    {
        lock (_gate)
        {
            if (!_links.ContainsKey((from.Id, to.Id)))
            {
                throw new InvalidOperationException($"{from} and {to} are not connected");
            }
            _links[(from.Id, to.Id)] = conditions;
        }
    }

    /// <summary>
    /// Cuts every link between the two groups: messages across are lost silently (connections stay "open", as
    /// when a route fails), so senders notice only by timeouts. <see cref="Heal"/> restores them.
    /// </summary>
    public void Partition(IEnumerable<SimulatedPeer> side, IEnumerable<SimulatedPeer> otherSide)
    {
        var others = otherSide.ToList();
        lock (_gate)
        {
            foreach (var a in side)
            {
                foreach (var b in others)
                {
                    _cut.Add((a.Id, b.Id));
                    _cut.Add((b.Id, a.Id));
                }
            }
        }
    }

    public void Heal()
    {
        lock (_gate)
        {
            _cut.Clear();
        }
    }

    public bool IsReachable(PeerId from, PeerId to)
    {
        lock (_gate)
        {
            return _links.ContainsKey((from, to)) && !_cut.Contains((from, to));
        }
    }

    /// <summary>
    /// Sends a message over the link: <paramref name="arrive"/> runs when it arrives, unless the link is missing, cut,
    /// or loses it. Returns whether it was put on the wire.
    /// </summary>
    public bool Send(PeerId from, PeerId to, Action arrive)
    {
        lock (_gate)
        {
            MessagesSent++;
            if (!_links.TryGetValue((from, to), out var link) || _cut.Contains((from, to))
                || (link.LossRate > 0 && Random.NextDouble() < link.LossRate))
            {
                MessagesLost++;
                return false;
            }
            var jitter = link.Jitter > TimeSpan.Zero ? link.Jitter * Random.NextDouble() : TimeSpan.Zero;
            var at = Time.GetUtcNow() + link.Latency + jitter;
            // A link is an ordered stream: a message never overtakes the one before it.
            if (_lastArrival.TryGetValue((from, to), out var previous) && previous > at)
            {
                at = previous;
            }
            _lastArrival[(from, to)] = at;
            _events.Enqueue(arrive, (at, _sequence++));
            return true;
        }
    }

    /// <summary>A request arrives at <paramref name="to"/>: handed to its server for the protocol, or answered with "not supported".</summary>
    internal SimulatedExchange? Deliver(PeerId to, string protocolId, PeerId from, byte[] request, Action<SimulatedReply> deliverToClient)
    {
        var exchange = new SimulatedExchange(this, to, from, request, deliverToClient);
        var server = _byId[to];
        if (server.Server(protocolId) is not { } handler)
        {
            exchange.Reply(new SimulatedReply.NotSupported());
            return null;
        }
        if (server.Reputation.IsBanned(from))
        {
            exchange.Reply(new SimulatedReply.Reset("banned"));
            return null;
        }
        handler.Receive(exchange);
        return exchange;
    }

    /// <summary>A gossipsub RPC arrives: decoded as from a stream and handed to the router (async validators finish later).</summary>
    internal void DeliverRpc(PeerId from, PeerId to, byte[] rpc)
    {
        var handling = _byId[to].Pubsub.Router.HandleRpcAsync(from, RPC.Parser.ParseFrom(rpc));
        if (!handling.IsCompleted)
        {
            _ = handling.AsTask();
        }
    }

    /// <summary>Runs <paramref name="action"/> at the current simulated time, after what is already due.</summary>
    public void Post(Action action)
    {
        lock (_gate)
        {
            _events.Enqueue(action, (Time.GetUtcNow(), _sequence++));
        }
    }

    /// <summary>
    /// Advances the clock step by step (firing timers: heartbeats, timeouts) and delivers what arrives, until the
    /// condition holds or <paramref name="limit"/> of simulated time has passed; false in that case.
    /// </summary>
    public async Task<bool> RunUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var end = Time.GetUtcNow() + limit;
        while (true)
        {
            await SettleAsync().ConfigureAwait(false);
            if (condition())
            {
                return true;
            }
            var now = Time.GetUtcNow();
            if (now >= end)
            {
                return false;
            }
            Time.Advance(Step < end - now ? Step : end - now);
        }
    }

    /// <summary>Runs the clock for a span of simulated time.</summary>
    public Task RunForAsync(TimeSpan duration) => RunUntilAsync(() => false, duration);

    /// <summary>
    /// Delivers everything due now, and lets work it started run, until nothing more is due. A server handler whose
    /// task has completed may still have its continuation queued on the thread pool (a test that completes it from
    /// xUnit's synchronization context does not run it inline), so the clock waits, in real time and bounded, until
    /// every completed handler has replied: otherwise a loaded machine would let simulated time run past the reply.
    /// </summary>
    private async Task SettleAsync()
    {
        for (var round = 0; round < 1000; round++)
        {
            var delivered = DeliverDue();
            await Task.Yield();
            var waited = await WaitForCompletedHandlersAsync().ConfigureAwait(false);
            if (delivered == 0 && !waited)
            {
                return;
            }
        }
        throw new InvalidOperationException("the simulation does not settle: 1000 rounds of messages at one instant");
    }

    /// <summary>Registers a server handler in progress; dispose the result once its reply has been handed to the link.</summary>
    internal IDisposable TrackHandler(Task handling)
    {
        var entry = new HandlerInFlight(this, handling);
        lock (_gate)
        {
            _handlers.Add(entry);
        }
        return entry;
    }

    private async Task<bool> WaitForCompletedHandlersAsync()
    {
        var limit = DateTime.UtcNow + HandlerReplyLimit;
        var waited = false;
        while (true)
        {
            lock (_gate)
            {
                if (!_handlers.Exists(h => h.Handling.IsCompleted))
                {
                    return waited;
                }
            }
            if (DateTime.UtcNow > limit)
            {
                throw new InvalidOperationException($"a completed request handler did not reply within {HandlerReplyLimit.TotalSeconds} s of real time");
            }
            waited = true;
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan HandlerReplyLimit = TimeSpan.FromSeconds(30);

    private sealed class HandlerInFlight(SimulatedNetwork network, Task handling) : IDisposable
    {
        public Task Handling { get; } = handling;

        public void Dispose()
        {
            lock (network._gate)
            {
                network._handlers.Remove(this);
            }
        }
    }

    private int DeliverDue()
    {
        var count = 0;
        while (true)
        {
            Action next;
            lock (_gate)
            {
                if (!_events.TryPeek(out next!, out var key) || key.At > Time.GetUtcNow())
                {
                    return count;
                }
                _events.Dequeue();
            }
            // Without a synchronization context, continuations of what a delivery completes run inline, at this instant.
            var context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                next();
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
            count++;
        }
    }
}
