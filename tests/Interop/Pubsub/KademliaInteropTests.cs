using P2P.Networking.Discovery;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Interop.Tests.Pubsub;

/// <summary>Kademlia FIND_NODE between our DHT and js-libp2p's @libp2p/kad-dht in server mode.</summary>
public sealed class KademliaInteropTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static async Task<(Libp2pHost Host, KademliaDht Dht)> StartAsync()
    {
        var host = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
        var dht = new KademliaDht(host, new KademliaOptions());
        dht.Start();
        await host.StartAsync();
        return (host, dht);
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(100);
        }
        return true;
    }

    private static PeerId PeerIdOf(string text) => PeerId.Parse(text);

    [JsInteropFact]
    public async Task CSharpAndJs_FindEachOthersPeersThroughFindNode()
    {
        var (a, dhtA) = await StartAsync();
        var (c, dhtC) = await StartAsync();
        await using var hub = await JsPubsubPeer.StartAsync(new { dht = true });
        await using var client = await JsPubsubPeer.StartAsync(new { dht = true });
        try
        {
            // a and c know only the js hub; the hub's routing table learns both through identify.
            await a.DialAsync(Multiaddr.Parse(hub.Address));
            await c.DialAsync(Multiaddr.Parse(hub.Address));
            Assert.True(await WaitUntilAsync(async () => await hub.RoutingTableSizeAsync() >= 2 && dhtA.Table.Count >= 1));

            // Our lookup asks js, whose answer names c with its address: a can dial c.
            var direct = await dhtA.FindNodeAsync(PeerIdOf(hub.PeerId), c.LocalPeerId.ToByteArray(), CancellationToken.None);
            Assert.Contains(c.LocalPeerId, direct);
            var found = await dhtA.LookupAsync(c.LocalPeerId.ToByteArray(), CancellationToken.None);
            Assert.Contains(c.LocalPeerId, found);
            Assert.NotEmpty(a.Peers.GetAddresses(c.LocalPeerId));
            await a.DialAsync(c.LocalPeerId);

            // A js client that knows only a asks it (our server) and reaches c through the answer.
            await client.DialAsync(a.ListenAddresses[0].WithPeerId(a.LocalPeerId).ToString());
            Assert.True(await WaitUntilAsync(async () => await client.RoutingTableSizeAsync() >= 1));
            var closest = await client.ClosestPeersAsync(c.LocalPeerId.ToByteArray());
            Assert.Contains(c.LocalPeerId.ToString(), closest);
        }
        finally
        {
            await dhtA.DisposeAsync();
            await dhtC.DisposeAsync();
            await a.DisposeAsync();
            await c.DisposeAsync();
        }
    }
}
