namespace P2P.InferenceNetwork.Receipts;

/// <summary>Signs an executor's receipt with the node key for the current epoch (the consensus side lives in src/Accountability).</summary>
public interface IReceiptIssuer
{
    /// <summary>The signed receipt, or null when none can be issued now (no chain yet).</summary>
    IssuedReceipt? Issue(ReceiptFields fields);
}
