using P2P.Networking.Identity;

namespace P2P.Networking.Pubsub;

/// <summary>What the scorer knows about one message id: its validation outcome and who else delivered it.</summary>
internal sealed class DeliveryRecord(DateTimeOffset firstSeen)
{
    public enum State { Pending, Valid, Invalid, Ignored }

    public State Status { get; set; } = State.Pending;
    public DateTimeOffset FirstSeen { get; } = firstSeen;
    public DateTimeOffset Validated { get; set; }
    public HashSet<PeerId> Peers { get; } = [];
}
