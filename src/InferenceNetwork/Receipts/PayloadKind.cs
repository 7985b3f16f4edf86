namespace P2P.InferenceNetwork.Receipts;

/// <summary>What a receipt's input or output chunks hold; its byte value is hashed.</summary>
public enum PayloadKind : byte
{
    /// <summary>Token ids, u32 each.</summary>
    Tokens = 0,

    /// <summary>Hidden-state rows, float32 each.</summary>
    Hidden = 1,

    /// <summary>One row of logits per step (the last span's output).</summary>
    Logits = 2,
}
