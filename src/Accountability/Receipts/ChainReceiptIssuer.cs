using P2P.Consensus.Blocks;
using P2P.Consensus.State;
using P2P.InferenceNetwork.Receipts;
using P2P.Networking.Identity;

namespace P2P.Accountability.Receipts;

/// <summary>Signs receipts with the node key for the epoch of the next block (a block includes receipts of its own epoch only).</summary>
public sealed class ChainReceiptIssuer(ChainState chain, Ed25519PrivateKey key) : IReceiptIssuer
{
    public IssuedReceipt? Issue(ReceiptFields fields)
    {
        if (fields.ModelId.Length != 64) return null;
        var receipt = ReceiptClaims.ToReceipt(fields, chain.Math.EpochOf(chain.Head.Height + 1)).SignedBy(key, chain.ChainId);
        return new IssuedReceipt(receipt.Id(chain.ChainId), receipt.Encode());
    }
}
