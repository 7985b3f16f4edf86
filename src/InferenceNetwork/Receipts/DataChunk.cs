namespace P2P.InferenceNetwork.Receipts;

/// <summary>The rows one step consumed or produced, as the bytes that are hashed (tokens u32, floats f32, little-endian).</summary>
public sealed record DataChunk(int Rows, byte[] Bytes);
