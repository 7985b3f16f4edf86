using Microsoft.Extensions.Time.Testing;
using P2P.Accountability.Receipts;
using P2P.Consensus.Gossip;
using P2P.Consensus.Reasons;
using P2P.Networking.Identity;

namespace P2P.Accountability.Tests.Receipts;

/// <summary>
/// An executor whose chain lags its peers' says its work would go unpaid exactly when the peers' next block may not
/// include a receipt it signs now (epochs of 4 blocks; the peers' chain at height 8, so their next block is in epoch 2).
/// </summary>
public sealed class ChainReceiptIssuerTests
{
    private static readonly Ed25519PrivateKey Miner = Ed25519PrivateKey.Generate(new Random(1));
    private static readonly Ed25519PrivateKey Executor = Ed25519PrivateKey.Generate(new Random(2));

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task UnpayableReason_IsSet_ExactlyWhenThePeersNextBlockRejectsTheReceipt(int lagging)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var genesis = GossipChainNode.EasyGenesis(time.GetUtcNow(), epochLength: 4);
        await using var peers = new GossipChainNode(genesis, time);
        await using var executor = new GossipChainNode(genesis, time);
        for (int height = 1; height <= 8; height++)
        {
            var block = await peers.MineAsync(Miner);
            if (height <= lagging) executor.Intake.Submit(block, BlockSource.Gossip);
            time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Equal((ulong)lagging, executor.Chain.Head.Height);

        var issuer = new ChainReceiptIssuer(executor.Chain, Executor, () => peers.Chain.Head.Height);
        var verdict = peers.Chain.CheckItem(executor.Receipt(Executor, task: 1), time.GetUtcNow());

        Assert.Equal(lagging >= 4 ? RejectReason.None : RejectReason.ReceiptWrongEpoch, verdict);
        Assert.Equal(verdict != RejectReason.None, issuer.UnpayableReason is not null);
        Assert.Null(new ChainReceiptIssuer(executor.Chain, Executor).UnpayableReason);
    }
}
