namespace P2P.Interop.Tests.Pubsub;

/// <summary>Gossipsub between our nodes and js-libp2p (@libp2p/gossipsub 17.1.1) peers on 127.0.0.1.</summary>
public sealed class GossipsubInteropTests
{
    private const string Topic = "p2pd/interop/1";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    [JsInteropFact]
    public async Task One_CSharp_and_one_js_node_deliver_100_messages_each_way_once()
    {
        await using var cs = await CSharpPubsubNode.StartAsync();
        await using var js = await JsPubsubPeer.StartAsync();
        cs.Subscribe(Topic);
        await js.SubscribeAsync(Topic);
        await cs.DialAsync(js.Address);
        Assert.True(await WaitUntilAsync(async () =>
            cs.Pubsub.Router.MeshPeers(Topic).Count == 1 && (await js.MeshAsync(Topic)).Contains(cs.PeerId), Limit));

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(1, await cs.PublishAsync(Topic, $"cs-{i}"));
            Assert.Equal(1, await js.PublishAsync(Topic, $"js-{i}"));
        }
        Assert.True(await WaitUntilAsync(() => Task.FromResult(cs.Received.Count == 100 && js.Received.Count == 100), Limit),
            $"C# got {cs.Received.Count}, js got {js.Received.Count}");
        await Task.Delay(1500); // a heartbeat of gossip: nothing may arrive twice
        Assert.All(cs.Received, kv => Assert.Equal((kv.Key[..3], 1), (kv.Key[..3], kv.Value)));
        Assert.All(cs.Received.Keys, k => Assert.StartsWith("js-", k));
        Assert.All(js.Received, kv => Assert.Equal((kv.Key[..3], 1), (kv.Key[..3], kv.Value)));
        Assert.All(js.Received.Keys, k => Assert.StartsWith("cs-", k));
        var scores = await js.ScoresAsync();
        Assert.True(scores[cs.PeerId] >= 0, $"js scores the C# node {scores[cs.PeerId]}");
    }
}
