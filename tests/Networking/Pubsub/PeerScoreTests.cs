using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;

namespace P2P.Networking.Tests.Pubsub;

public class PeerScoreTests
{
    private const string Topic = "t";
    private static readonly PeerId Peer = new PubsubIdentity(Ed25519PrivateKey.Generate(new Random(1))).PeerId;

    private static (PeerScore Score, FakeTimeProvider Time, PeerScoreParams Params) Create()
    {
        var parameters = new PeerScoreParams { IPColocationFactorWeight = 0 };
        parameters.Topics[Topic] = new TopicScoreParams();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return (new PeerScore(parameters, time, TimeSpan.FromMinutes(2)), time, parameters);
    }

    private static MessageId Id(int i) => new(BitConverter.GetBytes(i));

    [Fact]
    public void InvalidDeliveries_AreQuadraticAndDecayAway()
    {
        var (score, _, _) = Create();
        score.AddPeer(Peer, "10.0.0.1");
        for (var i = 0; i < 20; i++)
        {
            score.ValidateMessage(Id(i));
            score.RejectMessage(Peer, Id(i), Topic);
        }
        // P4 = 20² × (−1) × topic weight 0.5
        Assert.Equal(-200, score.Score(Peer), 6);
        score.Decay();
        Assert.Equal(-0.5 * 6 * 6, score.Score(Peer), 6); // 20 × 0.3 = 6
        for (var i = 0; i < 5; i++)
        {
            score.Decay();
        }
        Assert.Equal(0, score.Score(Peer));
    }

    [Fact]
    public void PeerScore_FirstDeliveriesTimeInMeshAndTheTopicCap()
    {
        var (score, time, parameters) = Create();
        parameters.Topics[Topic].MeshMessageDeliveriesWeight = 0;
        score.AddPeer(Peer, null);
        score.Graft(Peer, Topic);
        time.Advance(TimeSpan.FromSeconds(4));
        score.ValidateMessage(Id(1));
        score.DeliverMessage(Peer, Id(1), Topic);
        Assert.Equal(0.5 * (4 + 1), score.Score(Peer), 6);
        time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(parameters.TopicScoreCap, score.Score(Peer), 6);
    }

    [Fact]
    public void PeerScore_MeshDeliveryDeficitAfterActivationAndStickyFailurePenalty()
    {
        var (score, time, parameters) = Create();
        parameters.Topics[Topic].TimeInMeshWeight = 0;
        score.AddPeer(Peer, null);
        score.Graft(Peer, Topic);
        Assert.Equal(0, score.Score(Peer));
        time.Advance(TimeSpan.FromSeconds(6)); // past the 5 s activation, with no deliveries: deficit 20
        Assert.Equal(0.5 * -400, score.Score(Peer), 6);
        score.Prune(Peer, Topic);
        Assert.Equal(0.5 * -400, score.Score(Peer), 6); // P3b keeps the penalty after the prune
        score.Decay();
        Assert.Equal(0.5 * -200, score.Score(Peer), 6);
    }

    [Fact]
    public void PeerScore_BehaviourPenaltyColocationAndRetention()
    {
        var (score, time, parameters) = Create();
        parameters.IPColocationFactorWeight = -1;
        parameters.IPColocationFactorThreshold = 1;
        var peers = Enumerable.Range(0, 3).Select(i => new PubsubIdentity(Ed25519PrivateKey.Generate(new Random(10 + i))).PeerId).ToList();
        foreach (var p in peers)
        {
            score.AddPeer(p, "10.0.0.9");
        }
        Assert.Equal(-4, score.Score(peers[0]), 6); // 3 on one IP, threshold 1: surplus 2, squared
        score.AddPenalty(peers[1], 3);
        Assert.Equal(-4 - 10 * 9, score.Score(peers[1]), 6);

        score.RemovePeer(peers[1]); // negative: retained while disconnected
        score.AddPeer(peers[1], "10.0.0.2");
        Assert.Equal(-90, score.Score(peers[1]), 6);
        score.RemovePeer(peers[1]);
        time.Advance(parameters.RetainScore + TimeSpan.FromSeconds(1));
        score.Decay();
        Assert.Equal(0, score.Score(peers[1]));
    }

    [Fact]
    public void DuplicatesOfARejectedMessage_PenaliseTheirSendersToo()
    {
        var (score, _, _) = Create();
        var other = new PubsubIdentity(Ed25519PrivateKey.Generate(new Random(2))).PeerId;
        score.AddPeer(Peer, null);
        score.AddPeer(other, null);
        score.ValidateMessage(Id(7));
        score.DuplicateMessage(other, Id(7), Topic); // arrives while the first copy is validated
        score.RejectMessage(Peer, Id(7), Topic);
        Assert.Equal(-0.5, score.Score(Peer), 6);
        Assert.Equal(-0.5, score.Score(other), 6);
        var late = new PubsubIdentity(Ed25519PrivateKey.Generate(new Random(3))).PeerId;
        score.AddPeer(late, null);
        score.DuplicateMessage(late, Id(7), Topic); // arrives after the verdict
        Assert.Equal(-0.5, score.Score(late), 6);
    }
}
