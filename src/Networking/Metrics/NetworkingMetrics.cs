using System.Diagnostics.Metrics;
using P2P.Networking.Core;

namespace P2P.Networking.Metrics;

/// <summary>
/// The networking meter <c>P2P.Networking</c>: connections, streams, gossip messages per topic and request/response
/// refusals. Tags are bounded: topics only once joined, protocols only once a handler or a request names them.
/// </summary>
public static class NetworkingMetrics
{
    public const string MeterName = "P2P.Networking";

    public const string ConnectionsOpenedName = "p2p.connections.opened";
    public const string ConnectionsClosedName = "p2p.connections.closed";
    public const string ConnectionsActiveName = "p2p.connections.active";
    public const string StreamsOpenedName = "p2p.streams.opened";
    public const string GossipPublishedName = "p2p.gossip.messages.published";
    public const string GossipReceivedName = "p2p.gossip.messages.received";
    public const string GossipRejectedName = "p2p.gossip.messages.rejected";
    public const string RequestsServedName = "p2p.requests.served";
    public const string RequestsRefusedName = "p2p.requests.refused";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> ConnectionsOpened = Meter.CreateCounter<long>(ConnectionsOpenedName, "{connection}", "Connections upgraded (tag direction)");
    private static readonly Counter<long> ConnectionsClosed = Meter.CreateCounter<long>(ConnectionsClosedName, "{connection}", "Connections closed (tag direction)");
    private static readonly UpDownCounter<long> ConnectionsActive = Meter.CreateUpDownCounter<long>(ConnectionsActiveName, "{connection}", "Connections open now");
    private static readonly Counter<long> StreamsOpened = Meter.CreateCounter<long>(StreamsOpenedName, "{stream}", "Streams negotiated (tags direction, protocol)");
    private static readonly Counter<long> GossipPublished = Meter.CreateCounter<long>(GossipPublishedName, "{message}", "Own messages published (tag topic)");
    private static readonly Counter<long> GossipReceived = Meter.CreateCounter<long>(GossipReceivedName, "{message}", "Messages from peers accepted (tag topic)");
    private static readonly Counter<long> GossipRejected = Meter.CreateCounter<long>(GossipRejectedName, "{message}", "Messages from peers rejected: invalid, oversized or refused by the validator (tag topic)");
    private static readonly Counter<long> RequestsServed = Meter.CreateCounter<long>(RequestsServedName, "{request}", "Inbound requests accepted for serving (tag protocol)");
    private static readonly Counter<long> RequestsRefused = Meter.CreateCounter<long>(RequestsRefusedName, "{request}", "Inbound requests refused over a concurrency limit (tag protocol)");

    internal static void ConnectionOpened(Direction direction)
    {
        ConnectionsOpened.Add(1, DirectionTag(direction));
        ConnectionsActive.Add(1);
    }

    internal static void ConnectionClosed(Direction direction)
    {
        ConnectionsClosed.Add(1, DirectionTag(direction));
        ConnectionsActive.Add(-1);
    }

    internal static void StreamOpened(Direction direction, string protocol) =>
        StreamsOpened.Add(1, DirectionTag(direction), new KeyValuePair<string, object?>("protocol", protocol));

    internal static void GossipPublishedOn(string topic) => GossipPublished.Add(1, TopicTag(topic));

    internal static void GossipReceivedOn(string topic) => GossipReceived.Add(1, TopicTag(topic));

    internal static void GossipRejectedOn(string topic) => GossipRejected.Add(1, TopicTag(topic));

    /// <summary>Counts a request taken for serving (also by the simulated network, so its figures match a node's).</summary>
    public static void RequestServed(string protocol) => RequestsServed.Add(1, ProtocolTag(protocol));

    /// <summary>Counts a request refused over a concurrency limit.</summary>
    public static void RequestRefused(string protocol) => RequestsRefused.Add(1, ProtocolTag(protocol));

    private static KeyValuePair<string, object?> DirectionTag(Direction direction) =>
        new("direction", direction == Direction.Inbound ? "inbound" : "outbound");

    private static KeyValuePair<string, object?> TopicTag(string topic) => new("topic", topic);

    private static KeyValuePair<string, object?> ProtocolTag(string protocol) => new("protocol", protocol);
}
