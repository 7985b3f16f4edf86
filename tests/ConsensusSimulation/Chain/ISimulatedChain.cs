using P2P.Consensus.Blocks;
using P2P.Consensus.State;

namespace P2P.Consensus.Simulation.Chain;

/// <summary>What a simulated node needs of its chain: the real rules and state of src/Consensus behind a narrow seam.</summary>
public interface ISimulatedChain : IDisposable
{
    ChainTip Head { get; }

    /// <summary>Validates and, when valid, stores and connects a block; <paramref name="nowSeconds"/> is the node's clock.</summary>
    SubmitOutcome Submit(Block block, long nowSeconds);

    /// <summary>A stored block (on any branch), or null.</summary>
    Block? FindBlock(ReadOnlySpan<byte> hash);

    /// <summary>The main-chain blocks from height 1 to the head, in order.</summary>
    IReadOnlyList<Block> MainChain();

    /// <summary>A block template on the head for <paramref name="minerKey"/> with the candidate shares, transfers and other items (receipts, verdicts, declarations) the rules accept.</summary>
    MiningJob NewJob(byte[] minerKey, IReadOnlyCollection<Share> candidateShares, IReadOnlyCollection<Transfer> candidateTransfers, long nowSeconds, IReadOnlyCollection<BodyItem>? otherItems = null);

    /// <summary>The epoch of the block that would extend the head.</summary>
    ulong NextEpoch { get; }

    /// <summary>Receipts <paramref name="validatorKey"/> must still judge (the core's <c>ChainState.GetAssignments</c>).</summary>
    IReadOnlyList<ValidatorAssignment> Assignments(byte[] validatorKey);

    /// <summary>An account's balance and next transfer nonce at the head.</summary>
    (ulong Balance, ulong Nonce) Account(byte[] key);

    /// <summary>The chain id transfers are signed for.</summary>
    byte[] ChainId { get; }

    /// <summary>Whether a gossiped share is worth keeping and relaying (the core's <c>ChainState.CheckShareForRelay</c>: its parent may be on any known branch).</summary>
    bool IsRelayableShare(Share share);

    /// <summary>Balances, epoch records, issued total and the state digest of the current head.</summary>
    LedgerSnapshot Snapshot();
}
