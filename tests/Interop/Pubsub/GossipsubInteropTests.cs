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

    private static async Task WithRetriesAsync(Func<Task> dial)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await dial();
                return;
            }
            catch (Exception) when (attempt < 3)
            {
                await Task.Delay(500);
            }
        }
    }

    [JsInteropFact]
    public async Task OneCSharpAndOneJsNode_Deliver100MessagesEachWayOnce()
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
        // A heartbeat of gossip: nothing may arrive twice. No event to await, and the js peer runs on the wall clock.
        await Task.Delay(1500);
        Assert.All(cs.Received, kv => Assert.Equal((kv.Key[..3], 1), (kv.Key[..3], kv.Value)));
        Assert.All(cs.Received.Keys, k => Assert.StartsWith("js-", k));
        Assert.All(js.Received, kv => Assert.Equal((kv.Key[..3], 1), (kv.Key[..3], kv.Value)));
        Assert.All(js.Received.Keys, k => Assert.StartsWith("cs-", k));
        var scores = await js.ScoresAsync();
        Assert.True(scores[cs.PeerId] >= 0, $"js scores the C# node {scores[cs.PeerId]}");
    }

    [JsInteropFact]
    public async Task LineOfSixAlternatingNodes_CarriesMessagesEndToEnd()
    {
        var nodes = new List<IAsyncDisposable>();
        try
        {
            var received = new List<System.Collections.Concurrent.ConcurrentDictionary<string, int>>();
            var addresses = new List<string>();
            var publish = new List<Func<string, Task<int>>>();
            var dial = new List<Func<string, Task>>();
            var meshSize = new List<Func<Task<int>>>();
            for (var i = 0; i < 6; i++)
            {
                if (i % 2 == 0)
                {
                    var cs = await CSharpPubsubNode.StartAsync(seed: i);
                    nodes.Add(cs);
                    cs.Subscribe(Topic);
                    received.Add(cs.Received);
                    addresses.Add(cs.Address);
                    publish.Add(text => cs.PublishAsync(Topic, text));
                    dial.Add(cs.DialAsync);
                    meshSize.Add(() => Task.FromResult(cs.Pubsub.Router.MeshPeers(Topic).Count));
                }
                else
                {
                    var js = await JsPubsubPeer.StartAsync();
                    nodes.Add(js);
                    await js.SubscribeAsync(Topic);
                    received.Add(js.Received);
                    addresses.Add(js.Address);
                    publish.Add(text => js.PublishAsync(Topic, text));
                    dial.Add(js.DialAsync);
                    meshSize.Add(async () => (await js.MeshAsync(Topic)).Count);
                }
            }
            for (var i = 0; i + 1 < 6; i++)
            {
                await dial[i](addresses[i + 1]);
            }
            // Meshes form over a couple of heartbeats: each node meshes its neighbours in the line (one at the ends).
            Assert.True(await WaitUntilAsync(async () =>
            {
                for (var i = 0; i < 6; i++)
                {
                    if (await meshSize[i]() < (i == 0 || i == 5 ? 1 : 2))
                    {
                        return false;
                    }
                }
                return true;
            }, Limit));
            await publish[0]("from the C# end");
            await publish[5]("from the js end");
            Assert.True(await WaitUntilAsync(() => Task.FromResult(
                received.Take(5).All(r => r.ContainsKey("from the js end")) && received.Skip(1).All(r => r.ContainsKey("from the C# end"))), Limit),
                string.Join(" ", received.Select(r => r.Count)));
            // A heartbeat of gossip: nothing may arrive twice. No event to await, and the js peers run on the wall clock.
            await Task.Delay(1000);
            Assert.All(received, r => Assert.All(r.Values, n => Assert.Equal(1, n)));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [JsInteropFact]
    public async Task EightCSharpAndEightJsNodesFullyConnected_DeliverEveryMessage()
    {
        var csNodes = new List<CSharpPubsubNode>();
        var jsNodes = new List<JsPubsubPeer>();
        try
        {
            var starting = Enumerable.Range(0, 8).Select(_ => JsPubsubPeer.StartAsync()).ToList();
            for (var i = 0; i < 8; i++)
            {
                csNodes.Add(await CSharpPubsubNode.StartAsync(seed: i));
            }
            foreach (var js in starting)
            {
                jsNodes.Add(await js);
            }
            foreach (var cs in csNodes)
            {
                cs.Subscribe(Topic);
            }
            foreach (var js in jsNodes)
            {
                await js.SubscribeAsync(Topic);
            }
            var addresses = csNodes.Select(n => n.Address).Concat(jsNodes.Select(n => n.Address)).ToList();
            // Each node dials the later ones in turn (all nodes at once); a dial that times out on a busy machine is retried.
            await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
            {
                for (var j = i + 1; j < 16; j++)
                {
                    var target = addresses[j];
                    await WithRetriesAsync(() => i < 8 ? csNodes[i].DialAsync(target) : jsNodes[i - 8].DialAsync(target));
                }
            }));
            // Publish only once every node knows every other node's subscription.
            Assert.True(await WaitUntilAsync(async () =>
            {
                if (csNodes.Any(n => n.Pubsub.Router.TopicPeers(Topic).Count < 15))
                {
                    return false;
                }
                foreach (var js in jsNodes)
                {
                    if ((await js.TopicPeersAsync(Topic)).Count < 15)
                    {
                        return false;
                    }
                }
                return true;
            }, Limit));
            // Meshes settle over a heartbeat: publish once every node has at least D_low (4) mesh peers.
            Assert.True(await WaitUntilAsync(async () =>
            {
                if (csNodes.Any(n => n.Pubsub.Router.MeshPeers(Topic).Count < 4))
                {
                    return false;
                }
                foreach (var js in jsNodes)
                {
                    if ((await js.MeshAsync(Topic)).Count < 4)
                    {
                        return false;
                    }
                }
                return true;
            }, Limit));

            var random = new Random(42);
            for (var m = 0; m < 200; m++)
            {
                var publisher = random.Next(16);
                var text = $"m{m}";
                if (publisher < 8)
                {
                    await csNodes[publisher].PublishAsync(Topic, text);
                }
                else
                {
                    await jsNodes[publisher - 8].PublishAsync(Topic, text);
                }
            }
            var all = csNodes.Select(n => n.Received).Concat(jsNodes.Select(n => n.Received)).ToList();
            // A node never receives its own messages back; every other message exactly once.
            random = new Random(42);
            var expected = new int[16];
            for (var m = 0; m < 200; m++)
            {
                var publisher = random.Next(16);
                for (var n = 0; n < 16; n++)
                {
                    expected[n] += n == publisher ? 0 : 1;
                }
            }
            Assert.True(await WaitUntilAsync(() => Task.FromResult(all.Select((r, n) => r.Count == expected[n]).All(x => x)), Limit),
                string.Join(" ", all.Select((r, n) => $"{r.Count}/{expected[n]}")));
            // A heartbeat of gossip: nothing may arrive twice. No event to await, and the js peers run on the wall clock.
            await Task.Delay(1500);
            Assert.All(all, r => Assert.All(r.Values, n => Assert.Equal(1, n)));

            foreach (var cs in csNodes)
            {
                Assert.InRange(cs.Pubsub.Router.MeshPeers(Topic).Count, 4, 12);
            }
            foreach (var js in jsNodes)
            {
                Assert.InRange((await js.MeshAsync(Topic)).Count, 4, 12);
                var scores = await js.ScoresAsync();
                foreach (var cs in csNodes)
                {
                    Assert.True(scores[cs.PeerId] >= 0, $"js scores {cs.PeerId} {scores[cs.PeerId]}");
                }
            }
        }
        finally
        {
            foreach (var cs in csNodes)
            {
                await cs.DisposeAsync();
            }
            foreach (var js in jsNodes)
            {
                await js.DisposeAsync();
            }
        }
    }
}
