using Microsoft.Extensions.Logging.Abstractions;
using P2P.Accountability.Receipts;
using P2P.Consensus.Gossip;
using P2P.Networking.Identity;
using P2P.Simulation;

namespace P2P.Accountability.Tests.Receipts;

/// <summary>
/// A gateway and a miner, each a <see cref="GossipChainNode"/> on one <see cref="SimulatedNetwork"/> (fake clock, one
/// seed), linked, with the chain topics' meshes formed; the gateway's <see cref="ReceiptRepublisher"/> publishes on its
/// chain gossip and records its head height at each publish.
/// </summary>
internal sealed class GatewayAndMiner : IAsyncDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private GatewayAndMiner(SimulatedNetwork network, SimulatedPeer gatewayPeer, SimulatedPeer minerPeer)
    {
        Network = network;
        GatewayPeer = gatewayPeer;
        MinerPeer = minerPeer;
        var genesis = GossipChainNode.EasyGenesis(network.Time.GetUtcNow(), epochLength: 16);
        Gateway = new GossipChainNode(genesis, network.Time, gatewayPeer.Pubsub);
        Miner = new GossipChainNode(genesis, network.Time, minerPeer.Pubsub);
        Republisher = new ReceiptRepublisher(Gateway.Chain, async (receipt, ct) =>
        {
            PublishedAt.Add(Gateway.Chain.Head.Height);
            await Gateway.Gossip!.PublishReceiptAsync(receipt, ct);
        }, new RepublishPolicy(), NullLogger.Instance);
    }

    public SimulatedNetwork Network { get; }
    public SimulatedPeer GatewayPeer { get; }
    public SimulatedPeer MinerPeer { get; }
    public GossipChainNode Gateway { get; }
    public GossipChainNode Miner { get; }
    public ReceiptRepublisher Republisher { get; }

    /// <summary>The gateway's head height at each re-publish.</summary>
    public List<ulong> PublishedAt { get; } = [];

    public static async Task<GatewayAndMiner> StartAsync()
    {
        var network = new SimulatedNetwork(seed: 5) { Step = TimeSpan.FromMilliseconds(10) };
        var gatewayPeer = network.AddPeer();
        var minerPeer = network.AddPeer();
        network.Connect(gatewayPeer, minerPeer);
        var nodes = new GatewayAndMiner(network, gatewayPeer, minerPeer);
        string[] topics = [ChainTopics.Receipts, ChainTopics.Blocks];
        Assert.True(await network.RunUntilAsync(() => topics.All(t => gatewayPeer.Pubsub.Router.MeshPeers(t).Contains(minerPeer.Id) && minerPeer.Pubsub.Router.MeshPeers(t).Contains(gatewayPeer.Id)),
            5 * Second), "the chain topics' meshes did not form");
        return nodes;
    }

    /// <summary>The miner mines <paramref name="blocks"/> blocks 5 s apart; after each the gateway follows by gossip and runs its republisher, and the network settles.</summary>
    public async Task MineFollowAndRepublishAsync(Ed25519PrivateKey miner, int blocks, bool withPool = true)
    {
        for (int i = 0; i < blocks; i++)
        {
            await Network.RunForAsync(5 * Second);
            var block = await Miner.MineAsync(miner, withPool);
            Assert.True(await Network.RunUntilAsync(() => Gateway.Chain.Head.Height == block.Header.Height, 5 * Second), $"the gateway did not receive block {block.Header.Height}");
            await Republisher.RunOnceAsync(CancellationToken.None);
            await Network.RunForAsync(Second);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Miner.DisposeAsync();
    }
}
