using Microsoft.Extensions.Logging;
using P2P.Accountability.Metrics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.State;

namespace P2P.Accountability.Receipts;

/// <summary>
/// Keeps each receipt the gateway published until a main-chain block includes it, and publishes it again while none
/// does (<see cref="RepublishPolicy"/>: after a few blocks, then with the wait doubling): a gossip message can be lost
/// and a miner's pool can drop what it held. A receipt no block may include any more — a block takes receipts signed
/// in its own or the previous epoch — is given up. Each publish is a new gossipsub message (a new sequence number, so
/// no seen-cache drops it); a peer that already pools the receipt ignores it without penalty. Thread-safe.
/// </summary>
public sealed class ReceiptRepublisher(ChainState chain, Func<Receipt, CancellationToken, ValueTask> publish, RepublishPolicy policy, ILogger logger)
{
    private readonly object _gate = new();
    private readonly LinkedList<PendingReceipt> _order = new();
    private readonly Dictionary<string, LinkedListNode<PendingReceipt>> _byId = new(StringComparer.Ordinal);
    private long _republished, _landed, _expired, _evicted;

    public RepublishStats Stats
    {
        get { lock (_gate) return new RepublishStats(_byId.Count, _republished, _landed, _expired, _evicted); }
    }

    /// <summary>Whether the receipt is kept for re-publishing (published, not yet seen in a block).</summary>
    public bool IsPending(byte[] receiptId)
    {
        lock (_gate) return _byId.ContainsKey(Convert.ToHexString(receiptId));
    }

    /// <summary>
    /// Keeps a receipt that is being published for the first time now; false when it is kept already, or when no block
    /// on the current head may include it (signed for an epoch that has passed: the executor's chain was behind).
    /// </summary>
    public bool Track(Receipt receipt, byte[] receiptId)
    {
        var head = chain.Head;
        ulong nextEpoch = chain.Math.EpochOf(head.Height + 1);
        if (IsExpired(receipt, nextEpoch))
        {
            logger.LogWarning("receipt {Receipt} is signed for epoch {Epoch} but the next block is in epoch {Next}: no block may include it (was its executor still syncing?)",
                Hashing.Short(receiptId), receipt.Epoch, nextEpoch);
            lock (_gate) _expired++;
            AccountabilityMetrics.ReceiptExpired();
            return false;
        }
        lock (_gate)
        {
            var key = Convert.ToHexString(receiptId);
            if (_byId.ContainsKey(key)) return false;
            _byId[key] = _order.AddLast(new PendingReceipt(receipt, receiptId, head.Height + policy.WaitAfter(0)));
            while (_byId.Count > policy.Capacity)
            {
                var oldest = _order.First!.Value;
                Remove(oldest);
                _evicted++;
                AccountabilityMetrics.ReceiptEvicted();
                logger.LogInformation("receipt {Receipt} no longer re-published: {Capacity} newer receipts are waiting for a block", Hashing.Short(oldest.Id), policy.Capacity);
            }
            return true;
        }
    }

    /// <summary>
    /// On a new head: forgets receipts a main-chain block now includes or none may include any more, and publishes again
    /// those whose wait has run out. Returns how many it published.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var head = chain.Head;
        ulong nextEpoch = chain.Math.EpochOf(head.Height + 1);
        var due = new List<PendingReceipt>();
        lock (_gate)
        {
            foreach (var entry in _order.ToList())
            {
                if (chain.GetReceipt(entry.Id) is not null)
                {
                    Remove(entry);
                    _landed++;
                    AccountabilityMetrics.ReceiptLanded();
                }
                else if (IsExpired(entry.Receipt, nextEpoch))
                {
                    Remove(entry);
                    _expired++;
                    AccountabilityMetrics.ReceiptExpired();
                    logger.LogWarning("receipt {Receipt} (epoch {Epoch}) reached no block after {Attempts} publishes; the next block's epoch {Next} may not include it",
                        Hashing.Short(entry.Id), entry.Receipt.Epoch, entry.Attempts + 1, nextEpoch);
                }
                else if (head.Height >= entry.DueHeight)
                {
                    entry.Attempts++;
                    entry.DueHeight = head.Height + policy.WaitAfter(entry.Attempts);
                    due.Add(entry);
                }
            }
        }
        int published = 0;
        foreach (var entry in due)
        {
            try
            {
                await publish(entry.Receipt, cancellationToken).ConfigureAwait(false);
                published++;
                AccountabilityMetrics.ReceiptRepublished();
                logger.LogInformation("receipt {Receipt} not in a block at height {Height}: published again ({Attempt})", Hashing.Short(entry.Id), head.Height, entry.Attempts);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogInformation("re-publishing receipt {Receipt}: {Reason}", Hashing.Short(entry.Id), e.Message);
            }
        }
        lock (_gate) _republished += published;
        return published;
    }

    // A block takes receipts signed in its own epoch or the one before (docs/consensus.md §4.5).
    private static bool IsExpired(Receipt receipt, ulong nextEpoch) => receipt.Epoch + 1 < nextEpoch;

    private void Remove(PendingReceipt entry)
    {
        if (_byId.Remove(Convert.ToHexString(entry.Id), out var node)) _order.Remove(node);
    }
}
