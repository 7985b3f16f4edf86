using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using P2P.Inference.Generation;

namespace P2P.InferenceNetwork.Receipts;

/// <summary>
/// The byte-exact definitions of a receipt's hashes (docs/inference.md "Receipt fields"): every integer and float is
/// little-endian, floats by their IEEE-754 bits, each hash SHA-256 under its own domain string.
/// </summary>
public static class ReceiptHashing
{
    /// <summary>Top log-probs committed per logits row, whatever the request asked for.</summary>
    public const int CommittedTopK = 8;

    public const string InputDomain = "p2pd/receipt/input/1";
    public const string OutputDomain = "p2pd/receipt/output/1";
    public const string LogProbDomain = "p2pd/receipt/logprobs/1";
    public const string SamplingDomain = "p2pd/receipt/sampling/1";
    public const string TaskDomain = "p2pd/receipt/task/1";

    /// <summary>SHA-256(domain ‖ kind u8 ‖ for each chunk: rows u32 ‖ byte length u32 ‖ bytes).</summary>
    public static byte[] ChunksHash(string domain, PayloadKind kind, IEnumerable<DataChunk> chunks)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.ASCII.GetBytes(domain));
        sha.AppendData([(byte)kind]);
        Span<byte> header = stackalloc byte[8];
        foreach (var chunk in chunks)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)chunk.Rows);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)chunk.Bytes.Length);
            sha.AppendData(header);
            sha.AppendData(chunk.Bytes);
        }
        return sha.GetHashAndReset();
    }

    /// <summary>The sampling hash: SHA-256(domain ‖ 0) when the executor does not sample (a span), else SHA-256(domain ‖ 1 ‖ parameters).</summary>
    public static byte[] SamplingHash(SamplingParameters? parameters)
    {
        var bytes = new List<byte>(Encoding.ASCII.GetBytes(SamplingDomain));
        if (parameters is null)
        {
            bytes.Add(0);
            return SHA256.HashData(bytes.ToArray());
        }
        bytes.Add(1);
        var field = new byte[8];
        void U32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(field, value);
            bytes.AddRange(field.AsSpan(0, 4));
        }
        U32(BitConverter.SingleToUInt32Bits(parameters.Temperature));
        U32((uint)parameters.TopK);
        U32(BitConverter.SingleToUInt32Bits(parameters.TopP));
        BinaryPrimitives.WriteUInt64LittleEndian(field, parameters.Seed);
        bytes.AddRange(field);
        U32((uint)parameters.MaxTokens);
        var stops = parameters.StopTokens.Distinct().Order().ToArray();
        U32((uint)stops.Length);
        foreach (int stop in stops) U32((uint)stop);
        // Appended only after a failover, so the hashes of ordinary generations keep their bytes; the stop list's
        // count prefix keeps the two forms apart.
        if (parameters.ResumedAfter > 0) U32((uint)parameters.ResumedAfter);
        return SHA256.HashData(bytes.ToArray());
    }

    /// <summary>SHA-256(domain ‖ UTF-8 task id): the 32-byte task id of a receipt from the gateway's task id string.</summary>
    public static byte[] TaskId(string taskId) => SHA256.HashData([.. Encoding.ASCII.GetBytes(TaskDomain), .. Encoding.UTF8.GetBytes(taskId)]);

    /// <summary>One logits row's committed entry: k u32 ‖ k × (token u32 ‖ log-prob f32), the k = min(8, vocab) best by <see cref="LogSoftmax"/>.</summary>
    public static byte[] LogProbRow(ReadOnlySpan<float> logits)
    {
        var top = LogSoftmax.For(logits, 0, CommittedTopK).Top;
        var row = new byte[4 + top.Count * 8];
        BinaryPrimitives.WriteUInt32LittleEndian(row, (uint)top.Count);
        for (int i = 0; i < top.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(row.AsSpan(4 + i * 8), (uint)top[i].Token);
            BinaryPrimitives.WriteUInt32LittleEndian(row.AsSpan(8 + i * 8), BitConverter.SingleToUInt32Bits(top[i].LogProb));
        }
        return row;
    }

    /// <summary>SHA-256(domain ‖ each row's entry in order); no rows (a span without the head) hashes the domain alone.</summary>
    public static byte[] LogProbCommitment(IEnumerable<byte[]> rows)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.ASCII.GetBytes(LogProbDomain));
        foreach (var row in rows) sha.AppendData(row);
        return sha.GetHashAndReset();
    }

    /// <summary>Token ids as u32 little-endian.</summary>
    public static byte[] TokenBytes(ReadOnlySpan<int> tokens)
    {
        var bytes = new byte[tokens.Length * 4];
        for (int i = 0; i < tokens.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), (uint)tokens[i]);
        return bytes;
    }

    public static int[] TokensOf(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 4 != 0) throw new FormatException("token bytes must be a multiple of 4");
        var tokens = new int[bytes.Length / 4];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]);
        return tokens;
    }

    /// <summary>Floats as their IEEE-754 bits, little-endian (the machine order on every platform we run).</summary>
    public static byte[] FloatBytes(ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("receipts are defined on little-endian floats");
        return MemoryMarshal.AsBytes(values).ToArray();
    }

    public static float[] FloatsOf(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 4 != 0) throw new FormatException("float bytes must be a multiple of 4");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}
