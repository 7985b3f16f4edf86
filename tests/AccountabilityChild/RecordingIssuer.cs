using System.Collections.Concurrent;
using System.Security.Cryptography;
using P2P.InferenceNetwork.Receipts;

namespace P2P.Accountability.Child;

/// <summary>An issuer without a chain: the id is a hash of the fields, the fields are kept so a test can verify against them.</summary>
public sealed class RecordingIssuer : IReceiptIssuer
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
