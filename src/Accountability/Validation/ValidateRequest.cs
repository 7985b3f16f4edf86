namespace P2P.Accountability.Validation;

/// <summary>A <c>/p2pd/validate/1</c> request: the record behind one receipt.</summary>
public sealed record ValidateRequest
{
    /// <summary>The receipt id (32 bytes).</summary>
    public byte[] ReceiptId { get; init; } = [];
}
