using P2P.Networking.Pubsub;
using P2P.Simulation;

namespace P2P.Networking.Tests.Pubsub;

/// <summary><see cref="IPubSub.Join"/>: a topic's validator, size limit and score parameters set in one call.</summary>
public sealed class TopicJoinTests
{
    private const string Topic = "p2pd/join/1";

    [Fact]
    public async Task Join_AppliesTheValidatorTheSizeLimitAndTheScoreParameters()
    {
        var network = new SimulatedNetwork(seed: 5);
        var a = network.AddPeer();
        var b = network.AddPeer();
        network.Connect(a, b);
        IPubSub pubsubOfA = a.Pubsub;
        IPubSub pubsubOfB = b.Pubsub;
        var topicOfA = pubsubOfA.Join(Topic, new TopicOptions { MaxMessageSize = 64 });
        var topicOfB = pubsubOfB.Join(Topic, new TopicOptions
        {
            Validator = (m, _) => ValueTask.FromResult(m.Data.Span.SequenceEqual("bad"u8) ? ValidationResult.Reject : ValidationResult.Accept),
            MaxMessageSize = 8,
            Score = new TopicScoreParams { TimeInMeshWeight = 0, FirstMessageDeliveriesWeight = 0, MeshMessageDeliveriesWeight = 0, MeshFailurePenaltyWeight = 0 },
        });
        Assert.Equal(Topic, topicOfB.Name);
        Assert.Equal(8, b.Pubsub.Router.Options.MaxMessageSizeFor(Topic));
        Assert.True(b.Pubsub.Router.Options.Score.Topics.ContainsKey(Topic));
        await using var subscriptionOfA = topicOfA.Subscribe();
        await using var log = b.Record(Topic);
        Assert.True(await network.RunUntilAsync(() => a.Pubsub.Router.MeshPeers(Topic).Count == 1 && b.Pubsub.Router.MeshPeers(Topic).Count == 1, TimeSpan.FromSeconds(3)));

        await topicOfA.PublishAsync("fine"u8.ToArray());
        Assert.True(await network.RunUntilAsync(() => log.Contains("fine"), TimeSpan.FromSeconds(1)));
        var before = b.Pubsub.GetScore(a.Id);
        await topicOfA.PublishAsync("bad"u8.ToArray());
        await topicOfA.PublishAsync("much too long"u8.ToArray());
        await topicOfA.PublishAsync("last"u8.ToArray());
        Assert.True(await network.RunUntilAsync(() => log.Contains("last"), TimeSpan.FromSeconds(1)));
        Assert.Equal(["fine", "last"], log.Texts);
        // Two invalid deliveries on a scored topic (only P4 weighted): topic weight 0.5 × weight −1 × 2².
        Assert.Equal(before - 2, b.Pubsub.GetScore(a.Id), 6);
        await Assert.ThrowsAsync<ArgumentException>(async () => await topicOfB.PublishAsync(new byte[9]));
    }

}
