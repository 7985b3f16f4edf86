using P2P.Consensus.Blocks;
using P2P.Consensus.Genesis;

namespace P2P.Consensus.Gossip;

/// <summary>The gossipsub topics of the chain and the largest message each accepts (docs/protocol.md "Chain topics").</summary>
public static class ChainTopics
{
    public const string Blocks = "p2pd/blocks/1";
    public const string Shares = "p2pd/shares/1";
    public const string Transfers = "p2pd/txs/1";
    public const string Receipts = "p2pd/receipts/1";
    public const string Verdicts = "p2pd/verdicts/1";
    public const string Services = "p2pd/services/1";

    /// <summary>A block message is one encoded block: at most the genesis block size cap.</summary>
    public static int MaxBlockMessage(GenesisConfig genesis) => genesis.MaxBlockBytes;

    /// <summary>A share message is exactly one header.</summary>
    public const int MaxShareMessage = Share.EncodedLength;

    /// <summary>A transfer message is exactly one signed transfer.</summary>
    public const int MaxTransferMessage = Transfer.EncodedLength;

    /// <summary>A receipt, verdict or service declaration message is exactly one encoded item.</summary>
    public const int MaxReceiptMessage = Receipt.EncodedLength;

    public const int MaxVerdictMessage = Verdict.EncodedLength;

    public const int MaxServiceMessage = ServiceDeclaration.EncodedLength;
}
