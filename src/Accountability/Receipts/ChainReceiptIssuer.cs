using P2P.Consensus.Blocks;
using P2P.Consensus.Rules;
using P2P.Consensus.State;
using P2P.InferenceNetwork.Receipts;
using P2P.Networking.Identity;

namespace P2P.Accountability.Receipts;

/// <summary>
/// Signs receipts with the node key for the epoch of the next block (a block includes receipts of its own epoch and the
/// one before only). <paramref name="peersHeight"/> is the best height the node's peers have shown (the chain sync's
/// target): while the local chain is so far behind it that the network's next blocks could not include a receipt
/// signed now, <see cref="UnpayableReason"/> says so.
/// </summary>
public sealed class ChainReceiptIssuer(ChainState chain, Ed25519PrivateKey key, Func<ulong>? peersHeight = null) : IReceiptIssuer
{
    public IssuedReceipt? Issue(ReceiptFields fields)
    {
        if (fields.ModelId.Length != 64) return null;
        var receipt = ReceiptClaims.ToReceipt(fields, chain.Math.EpochOf(chain.Head.Height + 1)).SignedBy(key, chain.ChainId);
        return new IssuedReceipt(receipt.Id(chain.ChainId), receipt.Encode());
    }

    public string? UnpayableReason
    {
        get
        {
            if (peersHeight is null) return null;
            ulong height = chain.Head.Height, peers = Math.Max(height, peersHeight());
            ulong signing = chain.Math.EpochOf(height + 1), network = chain.Math.EpochOf(peers + 1);
            return ItemRules.IsCurrentOrPrevious(signing, network)
                ? null
                : $"this node's chain is at height {height} and its peers' at {peers}: a receipt for epoch {signing} could not be included in epoch {network}; syncing";
        }
    }
}
