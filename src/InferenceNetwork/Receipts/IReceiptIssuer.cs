namespace P2P.InferenceNetwork.Receipts;

/// <summary>Signs an executor's receipt with the node key for the current epoch (the consensus side lives in src/Accountability).</summary>
public interface IReceiptIssuer
{
    /// <summary>The signed receipt, or null when none can be issued now (no chain yet).</summary>
    IssuedReceipt? Issue(ReceiptFields fields);

    /// <summary>
    /// Why a session started now would go unpaid (the node's chain is so far behind its peers' that no block could
    /// include a receipt it signs), or null. The executor then refuses new sessions, so gateways route elsewhere.
    /// </summary>
    string? UnpayableReason => null;
}
