using P2P.Consensus.Blocks;
using P2P.Consensus.Ledger;
using P2P.Storage;

namespace P2P.Consensus.State;

// Queries of the validation lottery's outcome for validators and the API (docs/consensus.md §4.8).
public sealed partial class ChainState
{
    /// <summary>The receipt with this id on the main chain and where it stands, or null when it is not on the main chain.</summary>
    public ReceiptStatus? GetReceiptStatus(byte[] receiptId)
    {
        lock (_gate)
        {
            var record = new LedgerView(new DatabaseStateReader(_database)).GetReceipt(receiptId);
            if (record is null) return null;
            var receipt = FindReceipt(record.BlockHash, receiptId) ?? throw new ChainCorruptException($"receipt {Encoding.Hashing.Short(receiptId)} is indexed but not in its block");
            return new ReceiptStatus(receiptId, receipt, record.Height, record.BlockHash, record.Drawn, record.Validators, record.Deadline,
                record.EscalationDeadline == 0 ? null : record.EscalationDeadline, record.Votes, record.State, record.Forfeits());
        }
    }

    /// <summary>
    /// Receipts included at or above <paramref name="fromHeight"/> that <paramref name="validatorKey"/> must still judge:
    /// it is the drawn validator (or, after a first "invalid" verdict, an escalation validator), has not voted, and the
    /// deadline has not passed. Ordered by deadline.
    /// </summary>
    public IReadOnlyList<ValidatorAssignment> GetAssignments(byte[] validatorKey, ulong fromHeight)
    {
        lock (_gate)
        {
            var ledger = new LedgerView(new DatabaseStateReader(_database));
            var result = new List<ValidatorAssignment>();
            ulong next = _main[^1].Height + 1;
            foreach (var (key, _) in _database.ScanPrefix(RecordKey.For(ChainFamilies.Deadlines)))
            {
                ulong deadline = RecordKey.ReadNumber(key);
                var receiptId = key[(1 + sizeof(ulong))..];
                var record = ledger.GetReceipt(receiptId);
                if (record is null || record.State != ReceiptState.Open || record.Height < fromHeight || deadline < next) continue;
                int index = record.Validators.ToList().FindIndex(v => v.AsSpan().SequenceEqual(validatorKey));
                if (index < 0 || record.Votes.Any(v => v.Validator.AsSpan().SequenceEqual(validatorKey))) continue;
                bool due = index == 0 ? record.Votes.Count == 0 && deadline == record.Deadline : record.IsEscalated && deadline == record.EscalationDeadline;
                if (!due) continue;
                var receipt = FindReceipt(record.BlockHash, receiptId);
                if (receipt is not null) result.Add(new ValidatorAssignment(receiptId, receipt, record.Height, record.BlockHash, index, deadline));
            }
            return result;
        }
    }

    /// <summary>The validation tally of an epoch so far (final once it closed).</summary>
    public ValidationCounts GetValidationCounts(ulong epoch) => ReadLedger(l => l.GetValidationCounts(epoch));

    /// <summary>Validators noted in an epoch for missing a verdict deadline, sorted.</summary>
    public IReadOnlySet<byte[]> GetMissedDeadlines(ulong epoch) => ReadLedger(l => l.GetMissedDeadlines(epoch));

    private Receipt? FindReceipt(byte[] blockHash, byte[] receiptId)
    {
        var block = LoadBlock(blockHash);
        return block?.Items.OfType<Receipt>().FirstOrDefault(r => r.Id(ChainId).AsSpan().SequenceEqual(receiptId));
    }
}
