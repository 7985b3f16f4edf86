namespace P2P.InferenceNetwork.Receipts;

/// <summary>A signed receipt: its id (what validators ask for) and its canonical consensus encoding.</summary>
public sealed record IssuedReceipt(byte[] Id, byte[] Encoded);
