using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace P2P.Work;

/// <summary>
/// The two PRFs of work/1 (docs/work-function.md §2.1): ChaCha20 keyed by the seed for weights (fast for hundreds of
/// MiB), SHA-256 in counter mode for the few token bytes of each nonce.
/// </summary>
public static class WorkPrf
{
    /// <summary>Last 8 bytes of every weight tensor's ChaCha20 nonce.</summary>
    public static readonly byte[] WeightsLabel = Encoding.ASCII.GetBytes("p2pwork1");
    public static readonly byte[] TokensLabel = Encoding.ASCII.GetBytes("p2p/work/1/tokens");

    /// <summary>Writes the first destination.Length bytes of the stream named by prefix.</summary>
    public static void Fill(ReadOnlySpan<byte> prefix, Span<byte> destination)
    {
        Span<byte> message = stackalloc byte[prefix.Length + 8];
        prefix.CopyTo(message);
        Span<byte> block = stackalloc byte[32];
        Span<byte> counter = message[prefix.Length..];
        for (ulong j = 0, offset = 0; offset < (ulong)destination.Length; j++, offset += 32)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(counter, j);
            int take = (int)Math.Min(32, (ulong)destination.Length - offset);
            if (take == 32)
                SHA256.HashData(message, destination.Slice((int)offset, 32));
            else
            {
                SHA256.HashData(message, block);
                block[..take].CopyTo(destination[(int)offset..]);
            }
        }
    }

    /// <summary>Weight tensor number tensorIndex: ChaCha20 keystream, key = seed, nonce = u32le(tensorIndex) ‖ "p2pwork1".</summary>
    public static void Weights(ReadOnlySpan<byte> seed, int tensorIndex, Span<byte> destination)
    {
        RequireLength(seed, "seed");
        Span<byte> nonce = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(nonce, (uint)tensorIndex);
        WeightsLabel.CopyTo(nonce[4..]);
        ChaCha20Keystream.Fill(seed, nonce, destination);
    }

    /// <summary>The T token ids of one nonce: the first T bytes of the stream label ‖ challenge ‖ nonce (u64 LE).</summary>
    public static void Tokens(ReadOnlySpan<byte> challenge, ulong nonce, Span<byte> tokens)
    {
        RequireLength(challenge, "challenge");
        Span<byte> prefix = stackalloc byte[TokensLabel.Length + 32 + 8];
        TokensLabel.CopyTo(prefix);
        challenge.CopyTo(prefix[TokensLabel.Length..]);
        BinaryPrimitives.WriteUInt64LittleEndian(prefix[(TokensLabel.Length + 32)..], nonce);
        Fill(prefix, tokens);
    }

    internal static void RequireLength(ReadOnlySpan<byte> value, string name)
    {
        if (value.Length != 32)
            throw new ArgumentException($"{name} must be 32 bytes, got {value.Length}", name);
    }
}
