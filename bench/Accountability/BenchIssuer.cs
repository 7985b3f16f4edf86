using System.Collections.Concurrent;
using System.Security.Cryptography;
using P2P.InferenceNetwork.Receipts;

namespace P2P.Bench.Accountability;

/// <summary>Issues receipts without a chain (the id hashes the fields and a counter) and keeps the claims for the validator.</summary>
internal sealed class BenchIssuer : IReceiptIssuer
{
    private int _count;

    public ConcurrentDictionary<string, ReceiptFields> Issued { get; } = new();

    public IssuedReceipt? Issue(ReceiptFields fields)
    {
        var id = SHA256.HashData([.. fields.InputHash, .. fields.OutputHash, .. BitConverter.GetBytes(Interlocked.Increment(ref _count))]);
        Issued[Convert.ToHexStringLower(id)] = fields;
        return new IssuedReceipt(id, id);
    }
}
