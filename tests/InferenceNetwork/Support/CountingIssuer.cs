using P2P.InferenceNetwork.Receipts;

namespace P2P.InferenceNetwork.Tests.Support;

/// <summary>An issuer without a chain: counts the receipts it signs (a receipt's id and bytes are its number); a test sets whether new work would go unpaid.</summary>
internal sealed class CountingIssuer : IReceiptIssuer
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public string? UnpayableReason { get; set; }

    public IssuedReceipt? Issue(ReceiptFields fields)
    {
        var id = BitConverter.GetBytes(Interlocked.Increment(ref _count));
        return new IssuedReceipt(id, id);
    }
}
