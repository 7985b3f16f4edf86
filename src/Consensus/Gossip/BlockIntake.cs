using Microsoft.Extensions.Logging;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Pools;
using P2P.Consensus.State;

namespace P2P.Consensus.Gossip;

/// <summary>
/// The one way blocks enter a running node (gossip, the local miner, sync): submits them to the chain and keeps the
/// pools consistent with the new head — items of connected blocks leave the pools, items of blocks a reorganisation
/// undid go back in, and items the chain has moved past are pruned. Then <see cref="HeadChanged"/> fires.
/// </summary>
public sealed class BlockIntake(ChainState chain, SharePool shares, TransferPool transfers, AccountabilityPool accountability, TimeProvider time, ILogger logger)
{
    private readonly object _gate = new();
    private ChainHead _lastHead = chain.Head;

    /// <summary>Raised (outside any lock) after a submission moved the head.</summary>
    public event Action<ChainHead>? HeadChanged;

    public ChainState Chain => chain;

    public SubmitResult SubmitBytes(ReadOnlySpan<byte> bytes)
    {
        if (!BlockCodec.TryDecode(bytes, chain.Genesis.MaxBlockBytes, out var block, out var reason))
        {
            byte[] hash = bytes.Length >= BlockHeader.EncodedLength ? Hashing.Sha256(bytes[..BlockHeader.EncodedLength]) : [];
            return new SubmitResult(SubmitStatus.Invalid, reason, hash, false, 0);
        }
        return Submit(block!);
    }

    public SubmitResult Submit(Block block)
    {
        var result = chain.Submit(block, time.GetUtcNow());
        if (result.HeadChanged) Observe();
        return result;
    }

    /// <summary>
    /// Brings the pools up to the chain's current head, whoever moved it (this intake, or the synchroniser submitting
    /// straight to the chain), and raises <see cref="HeadChanged"/> when it moved since the last call.
    /// </summary>
    public void Observe()
    {
        ChainHead head;
        lock (_gate)
        {
            head = chain.Head;
            if (head.Hash.AsSpan().SequenceEqual(_lastHead.Hash)) return;
            UpdatePools(_lastHead, head);
            _lastHead = head;
        }
        logger.LogInformation("head {Height} {Hash}", head.Height, Hashing.Short(head.Hash));
        HeadChanged?.Invoke(head);
    }

    private void UpdatePools(ChainHead before, ChainHead after)
    {
        // Blocks of the old branch that are no longer on the main chain: their items may be included again.
        var hash = before.Hash;
        while (chain.GetHeader(hash) is { } header && !IsOnMainChain(hash, header.Height))
        {
            if (chain.GetBlock(hash) is { } undone)
            {
                foreach (var item in undone.Items)
                {
                    if (item is Share share) shares.Add(share);
                    else if (item is Transfer transfer) transfers.Add(transfer);
                    else accountability.Add(item);
                }
            }
            hash = header.ParentHash;
        }
        ulong forkHeight = chain.GetHeader(hash)?.Height ?? 0;
        // Blocks newly on the main chain: their items are done.
        for (ulong height = after.Height; height > forkHeight; height--)
        {
            if (chain.MainChainHash(height) is not { } connectedHash || chain.GetBlock(connectedHash) is not { } connected) break;
            shares.RemoveIncluded(connected);
            transfers.RemoveIncluded(connected);
            accountability.RemoveIncluded(connected);
        }
        shares.Prune(after.Height + 1, chain.Math.EpochOf(after.Height + 1), chain.Genesis.ShareWindow);
        transfers.Prune(key => chain.GetAccount(key).Nonce);
        accountability.Prune(chain.Math.EpochOf(after.Height + 1), v => chain.GetReceipt(v.ReceiptId) is { } r && (r.IsFinal || r.Votes.Any(x => x.Validator.AsSpan().SequenceEqual(v.Validator))));
    }

    private bool IsOnMainChain(byte[] hash, ulong height) => chain.MainChainHash(height) is { } main && main.AsSpan().SequenceEqual(hash);
}
