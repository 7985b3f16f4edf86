using System.Collections.Concurrent;

namespace P2P.Networking.Pubsub;

/// <summary>Peer score parameters (gossipsub v1.1): topics, P5–P7, decay and retention; defaults are js-libp2p's.</summary>
public sealed class PeerScoreParams
{
    /// <summary>Topics that are scored; messages on other topics do not touch P1–P4. Topics may be added while running (<see cref="IPubSub.Join"/>).</summary>
    public ConcurrentDictionary<string, TopicScoreParams> Topics { get; } = new(StringComparer.Ordinal);
    /// <summary>Cap on the summed topic contribution (0 = no cap).</summary>
    public double TopicScoreCap { get; set; } = 10;

    public Func<string, double>? AppSpecificScore { get; set; }
    public double AppSpecificWeight { get; set; } = 10;

    /// <summary>P6 weight; set to 0 for swarms that all share one IP, such as loopback tests.</summary>
    public double IPColocationFactorWeight { get; set; } = -5;
    public double IPColocationFactorThreshold { get; set; } = 10;
    public HashSet<string> IPColocationFactorWhitelist { get; } = new(StringComparer.Ordinal);

    public double BehaviourPenaltyWeight { get; set; } = -10;
    public double BehaviourPenaltyThreshold { get; set; }
    public double BehaviourPenaltyDecay { get; set; } = 0.2;

    public TimeSpan DecayInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Decayed counters below this snap to zero.</summary>
    public double DecayToZero { get; set; } = 0.1;
    /// <summary>How long a disconnected peer's score is remembered.</summary>
    public TimeSpan RetainScore { get; set; } = TimeSpan.FromHours(1);
}
