using P2P.Consensus.Blocks;

namespace P2P.Consensus.Simulation.Nodes;

/// <summary>Transfers: paying random peers, relaying signed transfers, pruning spent ones.</summary>
public sealed partial class SimulatedNode
{
    /// <summary>Starts paying random peers (<see cref="NodeSettings.TransferIntervalMicros"/>) among <paramref name="peerKeys"/>.</summary>
    public void StartTransfers(IReadOnlyList<byte[]> peerKeys)
    {
        long interval = _settings.TransferIntervalMicros;
        if (interval <= 0) return;
        _peerKeys = peerKeys;
        _loop.After(interval / 2 + _random.NextInt64(interval), Tick);

        void Tick()
        {
            SendTransfer();
            _loop.After(interval / 2 + _random.NextInt64(interval), Tick);
        }
    }

    /// <summary>One transfer at a time: a new one only once the last is on the chain (its nonce consumed).</summary>
    private void SendTransfer()
    {
        var (balance, nonce) = Chain.Account(MinerKey);
        ulong fee = _settings.TransferFee;
        if (balance <= fee * 10 || _transferPool.Values.Any(t => t.From.AsSpan().SequenceEqual(MinerKey) && t.Nonce >= nonce)) return;
        var to = _peerKeys[_random.Next(_peerKeys.Count)];
        if (to.AsSpan().SequenceEqual(MinerKey)) return;
        var transfer = Transfer.Create(_key, Chain.ChainId, to, balance / 10, fee, nonce);
        Statistics.TransfersSent++;
        AcceptTransfer(transfer, from: -1);
    }

    private void AcceptTransfer(Transfer transfer, int from)
    {
        string id = Convert.ToHexStringLower(transfer.Signature);
        if (!_seenTransfers.Add(id)) return;
        if (_seenTransfers.Count > 4 * _settings.MaxPooledShares) _seenTransfers.Clear(); // bounded; forgetting only costs a re-relay
        // Relay only what can still be valid: signed for this chain, its nonce not yet consumed.
        if (!transfer.HasValidSignature(Chain.ChainId) || transfer.Nonce < Chain.Account(transfer.From).Nonce) return;
        if (_transferPool.Count >= _settings.MaxPooledShares) return;
        _transferPool[id] = transfer;
        _poolChanged = true;
        Broadcast(new TransferAnnouncement(transfer), except: from);
    }

    private void PruneTransferPool()
    {
        List<string>? spent = null;
        foreach (var (id, transfer) in _transferPool)
            if (transfer.Nonce < Chain.Account(transfer.From).Nonce)
                (spent ??= []).Add(id);
        if (spent is not null)
            foreach (string id in spent) _transferPool.Remove(id);
    }
}
