using Google.Protobuf;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;
using P2P.Networking.Pubsub.Protos;
using P2P.Simulation;

namespace P2P.Networking.Tests.Pubsub;

public class ValidationAndScoringTests
{
    private const string Topic = "p2pd/test/1";

    private static GossipsubOptions ScoredOptions()
    {
        var options = InMemoryPubsubNetwork.LoopbackOptions();
        options.Score.Topics[Topic] = new TopicScoreParams { MeshMessageDeliveriesWeight = 0, MeshFailurePenaltyWeight = 0 };
        return options;
    }

    private static async Task<(InMemoryPubsubNetwork Network, GossipsubRouter Sender, GossipsubRouter Relay, GossipsubRouter Sink)> LineAsync()
    {
        var network = new InMemoryPubsubNetwork();
        var sender = network.AddNode(ScoredOptions());
        var relay = network.AddNode(ScoredOptions());
        var sink = network.AddNode(ScoredOptions());
        network.Connect(sender, relay);
        network.Connect(relay, sink);
        foreach (var r in new[] { sender, relay, sink })
        {
            r.Subscribe(Topic);
        }
        await network.RunAsync();
        await network.HeartbeatAsync();
        return (network, sender, relay, sink);
    }

    [Fact]
    public async Task RejectedMessage_IsNotForwardedAndLowersTheSendersScore()
    {
        var (network, sender, relay, sink) = await LineAsync();
        relay.RegisterValidator(Topic, (m, _) => ValueTask.FromResult(m.Data.Span[0] == 1 ? ValidationResult.Accept : ValidationResult.Reject));
        var before = relay.GetScore(sender.LocalPeer);
        sender.Publish(Topic, new byte[] { 0 });
        await network.RunAsync();
        Assert.Empty(network.Received[relay.LocalPeer]);
        Assert.Empty(network.Received[sink.LocalPeer]);
        // P4: topic weight 0.5 × weight −1 × 1²
        Assert.Equal(before - 0.5, relay.GetScore(sender.LocalPeer), 6);

        sender.Publish(Topic, new byte[] { 1 });
        await network.RunAsync();
        Assert.Single(network.Received[relay.LocalPeer]);
        Assert.Single(network.Received[sink.LocalPeer]);
    }

    [Fact]
    public async Task IgnoredMessage_IsDroppedWithoutPenalty()
    {
        var (network, sender, relay, sink) = await LineAsync();
        relay.RegisterValidator(Topic, (_, _) => ValueTask.FromResult(ValidationResult.Ignore));
        sender.Publish(Topic, new byte[] { 1 });
        await network.RunAsync();
        Assert.Empty(network.Received[relay.LocalPeer]);
        Assert.Empty(network.Received[sink.LocalPeer]);
        Assert.True(relay.GetScore(sender.LocalPeer) >= 0);
    }

    /// <summary>
    /// Completes a validator's verdict so that the router's continuation (deliver, then forward) has run when this
    /// returns: off xunit's synchronization context, where a continuation runs inside SetResult (under that context the
    /// runtime queues it to the pool instead), and with the in-memory network's lists touched by one thread at a time.
    /// </summary>
    private static Task SetInlineAsync(TaskCompletionSource<ValidationResult> verdict, ValidationResult result) =>
        Task.Run(() => verdict.SetResult(result));

    [Fact]
    public async Task AsyncValidator_ForwardsOnlyAfterAccept()
    {
        var (network, sender, relay, sink) = await LineAsync();
        var verdict = new TaskCompletionSource<ValidationResult>();
        relay.RegisterValidator(Topic, (_, _) => new ValueTask<ValidationResult>(verdict.Task));
        sender.Publish(Topic, new byte[] { 1 });
        await network.RunAsync();
        Assert.Empty(network.Received[sink.LocalPeer]);
        Assert.DoesNotContain(network.Sent, s => s.From == relay.LocalPeer && s.To == sink.LocalPeer && s.Rpc.Publish.Count > 0);
        await SetInlineAsync(verdict, ValidationResult.Accept);
        Assert.Single(network.Received[relay.LocalPeer]);
        await network.RunAsync();
        Assert.Single(network.Received[sink.LocalPeer]);
    }

    [Fact]
    public async Task PeerFloodingInvalidMessages_IsGraylistedAndNotForwarded()
    {
        var (network, sender, relay, sink) = await LineAsync();
        var forger = new PubsubIdentity(Ed25519PrivateKey.Generate(new Random(99)));
        for (var i = 0; i < 20; i++)
        {
            var forged = new Message
            {
                From = ByteString.CopyFrom(forger.PeerId.Bytes),
                Data = ByteString.CopyFromUtf8($"forged {i}"),
                Seqno = ByteString.CopyFrom(BitConverter.GetBytes((ulong)i)),
                Topic = Topic,
                Signature = ByteString.CopyFrom(new byte[64]),
                Key = ByteString.CopyFrom(forger.MarshalledPublicKey),
            };
            var rpc = new RPC();
            rpc.Publish.Add(forged);
            await relay.HandleRpcAsync(sender.LocalPeer, rpc);
        }
        await network.RunAsync();
        Assert.Empty(network.Received[sink.LocalPeer]);
        Assert.True(relay.GetScore(sender.LocalPeer) < relay.Options.Thresholds.GraylistThreshold);

        sender.Publish(Topic, "valid but graylisted"u8); // every RPC from a graylisted peer is dropped
        await network.RunAsync();
        Assert.Empty(network.Received[relay.LocalPeer]);
        Assert.Empty(network.Received[sink.LocalPeer]);

        await network.HeartbeatAsync(); // negative score: pruned from the mesh
        Assert.DoesNotContain(sender.LocalPeer, relay.MeshPeers(Topic));
        await network.HeartbeatAsync(10); // the penalty decays; the peer is heard again
        Assert.True(relay.GetScore(sender.LocalPeer) > relay.Options.Thresholds.GraylistThreshold);
        sender.Publish(Topic, "heard again"u8);
        await network.RunAsync();
        Assert.Contains(network.Received[sink.LocalPeer], m => m.Data.Span.SequenceEqual("heard again"u8));
        Assert.DoesNotContain(network.Received[sink.LocalPeer], m => m.Data.Span.StartsWith("forged"u8));
        Assert.Equal(network.Received[sink.LocalPeer].Count, network.Received[sink.LocalPeer].Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public async Task OversizedMessage_IsRejectedAndPenalised()
    {
        var network = new InMemoryPubsubNetwork();
        var small = ScoredOptions();
        small.MaxMessageSizeByTopic[Topic] = 16;
        var receiver = network.AddNode(small);
        var sender = network.AddNode(ScoredOptions());
        network.Connect(sender, receiver);
        receiver.Subscribe(Topic);
        sender.Subscribe(Topic);
        await network.RunAsync();
        sender.Publish(Topic, new byte[17]);
        await network.RunAsync();
        Assert.Empty(network.Received[receiver.LocalPeer]);
        Assert.True(receiver.GetScore(sender.LocalPeer) < 0);
        sender.Publish(Topic, new byte[16]);
        await network.RunAsync();
        Assert.Single(network.Received[receiver.LocalPeer]);
        Assert.Throws<ArgumentException>(() => receiver.Publish(Topic, new byte[17]));
    }

    [Fact]
    public async Task IHaveSpamWithUnknownIds_StaysBounded()
    {
        var network = new InMemoryPubsubNetwork();
        var victim = network.AddNode();
        var spammer = network.AddNode();
        network.Connect(spammer, victim);
        victim.Subscribe(Topic);
        spammer.Subscribe(Topic);
        await network.RunAsync();
        var random = new Random(3);
        for (var beat = 0; beat < 20; beat++)
        {
            for (var i = 0; i < 50; i++)
            {
                var rpc = new RPC { Control = new ControlMessage() };
                var ihave = new ControlIHave { TopicID = Topic };
                for (var j = 0; j < 1000; j++)
                {
                    var id = new byte[40];
                    random.NextBytes(id);
                    ihave.MessageIDs.Add(ByteString.CopyFrom(id));
                }
                rpc.Control.Ihave.Add(ihave);
                await victim.HandleRpcAsync(spammer.LocalPeer, rpc);
            }
            var asked = network.Sent.Where(s => s.From == victim.LocalPeer && s.Rpc.Control?.Iwant.Count > 0).Sum(s => s.Rpc.Control.Iwant.Sum(w => w.MessageIDs.Count));
            Assert.True(asked <= (beat + 1) * victim.Options.MaxIHaveLength);
            Assert.True(victim.PromiseCount <= victim.Options.MaxIHaveMessages * 4);
            network.Time.Advance(TimeSpan.FromSeconds(1));
            victim.Heartbeat();
        }
        Assert.Equal(0, victim.SeenCount);
        Assert.True(victim.GetScore(spammer.LocalPeer) < 0); // the unanswered IWANTs are broken promises
    }

    [Fact]
    public async Task FullValidationQueue_HoldsBackTheReaderUntilASlotFrees()
    {
        var network = new InMemoryPubsubNetwork();
        var small = ScoredOptions();
        small.ValidationQueueSize = 2;
        var receiver = network.AddNode(small);
        var sender = network.AddNode(ScoredOptions());
        network.Connect(sender, receiver);
        receiver.Subscribe(Topic);
        sender.Subscribe(Topic);
        await network.RunAsync();
        var verdicts = new List<TaskCompletionSource<ValidationResult>>();
        receiver.RegisterValidator(Topic, (_, _) =>
        {
            var verdict = new TaskCompletionSource<ValidationResult>();
            lock (verdicts)
            {
                verdicts.Add(verdict);
            }
            return new ValueTask<ValidationResult>(verdict.Task);
        });
        var sent = new List<Message>();
        network.Drop = (_, _, rpc) =>
        {
            sent.AddRange(rpc.Publish);
            return rpc.Publish.Count > 0;
        };
        for (var i = 0; i < 3; i++)
        {
            sender.Publish(Topic, new byte[] { (byte)i });
        }
        var first = new RPC();
        first.Publish.Add(sent[0]);
        first.Publish.Add(sent[1]);
        await receiver.HandleRpcAsync(sender.LocalPeer, first); // two slots taken, both pending
        var third = new RPC();
        third.Publish.Add(sent[2]);
        var blocked = receiver.HandleRpcAsync(sender.LocalPeer, third).AsTask();
        // Checks that the reader stays blocked: no event marks "still waiting", so a wrongly free slot gets 100 ms to show.
        await Task.Delay(100);
        Assert.False(blocked.IsCompleted); // back-pressure: the reader waits for a slot
        await SetInlineAsync(verdicts[0], ValidationResult.Accept);
        await blocked.WaitAsync(TimeSpan.FromSeconds(30));
        lock (verdicts)
        {
            Assert.Equal(3, verdicts.Count);
        }
        await SetInlineAsync(verdicts[1], ValidationResult.Accept);
        await SetInlineAsync(verdicts[2], ValidationResult.Accept);
        Assert.Equal(3, network.Received[receiver.LocalPeer].Count);
    }
}
