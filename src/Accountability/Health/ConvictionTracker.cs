using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Consensus.State;
using P2P.Networking.Identity;

namespace P2P.Accountability.Health;

/// <summary>
/// Reads verdicts from new main-chain blocks and turns final outcomes into routing penalties: the executor of a final
/// "invalid" receipt and the validators outvoted on a final "valid" one are convicted (from the epoch of the last verdict); validators noted for a missed
/// deadline are demoted. Receipts with a verdict but no final state yet are re-checked on later heads.
/// </summary>
public sealed class ConvictionTracker(ChainState chain, AccountableWeights weights)
{
    private const int MaxPending = 10_000;
    private readonly Dictionary<string, byte[]> _pending = [];
    private ulong _scanned;

    public void Update()
    {
        var head = chain.Head;
        weights.SetEpoch(head.Epoch);
        ulong from = Math.Max(_scanned + 1, head.Height > 200 ? head.Height - 200 : 1);
        for (ulong height = from; height <= head.Height; height++)
        {
            var hash = chain.MainChainHash(height);
            var block = hash is null ? null : chain.GetBlock(hash);
            if (block is null) break;
            foreach (var verdict in block.Items.OfType<Verdict>())
                if (_pending.Count < MaxPending) _pending.TryAdd(Convert.ToHexStringLower(verdict.ReceiptId), verdict.ReceiptId);
            _scanned = height;
        }
        foreach (var (key, id) in _pending.ToList())
        {
            var status = chain.GetReceiptStatus(id);
            if (status is null) { _pending.Remove(key); continue; }
            if (status.State is not (ReceiptState.FinalValid or ReceiptState.FinalInvalid)) continue;
            _pending.Remove(key);
            // A conviction runs from the epoch in which the chain settled it (its last verdict), not the receipt's own:
            // a cheat proven late would otherwise be forgiven at once. Read from the chain, so a restart agrees.
            ulong settled = status.Verdicts.Count > 0 ? Math.Max(status.Height, status.Verdicts.Max(v => v.Height)) : status.Height;
            ulong epoch = chain.Math.EpochOf(settled);
            bool valid = status.State == ReceiptState.FinalValid;
            if (!valid) weights.Convict(PeerOf(status.Receipt.Executor), epoch);
            foreach (var vote in status.Verdicts.Where(v => v.Valid != valid)) weights.Convict(PeerOf(vote.Validator), epoch);
        }
        foreach (ulong epoch in head.Epoch > 0 ? [head.Epoch - 1, head.Epoch] : new[] { head.Epoch })
            foreach (var validator in chain.GetMissedDeadlines(epoch)) weights.Demote(PeerOf(validator), epoch);
    }

    private static string PeerOf(byte[] key) => new Ed25519PublicKey(key).ToPeerId().ToString();
}
