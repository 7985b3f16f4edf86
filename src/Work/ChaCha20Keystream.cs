using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace P2P.Work;

/// <summary>
/// The ChaCha20 keystream of RFC 8439 (20 rounds, 32-byte key, 96-bit nonce, 32-bit block counter from 0); the BCL
/// has only the AEAD. Eight blocks are computed at once in 256-bit vectors, one block per lane.
/// </summary>
public static class ChaCha20Keystream
{
    private const int BlockBytes = 64;

    /// <summary>Writes keystream bytes [0, destination.Length) of (key, nonce), starting at block counter initialCounter.</summary>
    public static void Fill(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, Span<byte> destination, uint initialCounter = 0)
    {
        if (key.Length != 32) throw new ArgumentException("ChaCha20 key must be 32 bytes", nameof(key));
        if (nonce.Length != 12) throw new ArgumentException("ChaCha20 nonce must be 12 bytes", nameof(nonce));
        if ((ulong)destination.Length > (((ulong)uint.MaxValue + 1 - initialCounter) * BlockBytes))
            throw new ArgumentException("keystream longer than the 32-bit block counter allows", nameof(destination));

        Span<uint> state = stackalloc uint[16];
        state[0] = 0x61707865; state[1] = 0x3320646e; state[2] = 0x79622d32; state[3] = 0x6b206574;
        for (int i = 0; i < 8; i++) state[4 + i] = BinaryPrimitives.ReadUInt32LittleEndian(key[(4 * i)..]);
        for (int i = 0; i < 3; i++) state[13 + i] = BinaryPrimitives.ReadUInt32LittleEndian(nonce[(4 * i)..]);

        uint counter = initialCounter;
        int offset = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; destination.Length - offset >= 8 * BlockBytes; offset += 8 * BlockBytes, counter += 8)
                EightBlocks(state, counter, destination.Slice(offset, 8 * BlockBytes));

        Span<byte> block = stackalloc byte[BlockBytes];
        for (; offset < destination.Length; offset += BlockBytes, counter++)
        {
            state[12] = counter;
            OneBlock(state, block);
            int take = Math.Min(BlockBytes, destination.Length - offset);
            block[..take].CopyTo(destination[offset..]);
        }
    }

    private static void OneBlock(ReadOnlySpan<uint> input, Span<byte> output)
    {
        Span<uint> x = stackalloc uint[16];
        input.CopyTo(x);
        for (int round = 0; round < 10; round++)
        {
            Quarter(ref x[0], ref x[4], ref x[8], ref x[12]);
            Quarter(ref x[1], ref x[5], ref x[9], ref x[13]);
            Quarter(ref x[2], ref x[6], ref x[10], ref x[14]);
            Quarter(ref x[3], ref x[7], ref x[11], ref x[15]);
            Quarter(ref x[0], ref x[5], ref x[10], ref x[15]);
            Quarter(ref x[1], ref x[6], ref x[11], ref x[12]);
            Quarter(ref x[2], ref x[7], ref x[8], ref x[13]);
            Quarter(ref x[3], ref x[4], ref x[9], ref x[14]);
        }
        for (int i = 0; i < 16; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(output[(4 * i)..], x[i] + input[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter(ref uint a, ref uint b, ref uint c, ref uint d)
    {
        a += b; d = BitOperations.RotateLeft(d ^ a, 16);
        c += d; b = BitOperations.RotateLeft(b ^ c, 12);
        a += b; d = BitOperations.RotateLeft(d ^ a, 8);
        c += d; b = BitOperations.RotateLeft(b ^ c, 7);
    }

    private static void EightBlocks(ReadOnlySpan<uint> input, uint counter, Span<byte> output)
    {
        Span<Vector256<uint>> x = stackalloc Vector256<uint>[16];
        Span<Vector256<uint>> start = stackalloc Vector256<uint>[16];
        for (int i = 0; i < 16; i++) start[i] = Vector256.Create(input[i]);
        start[12] = Vector256.Create(counter) + Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
        start.CopyTo(x);
        for (int round = 0; round < 10; round++)
        {
            Quarter(ref x[0], ref x[4], ref x[8], ref x[12]);
            Quarter(ref x[1], ref x[5], ref x[9], ref x[13]);
            Quarter(ref x[2], ref x[6], ref x[10], ref x[14]);
            Quarter(ref x[3], ref x[7], ref x[11], ref x[15]);
            Quarter(ref x[0], ref x[5], ref x[10], ref x[15]);
            Quarter(ref x[1], ref x[6], ref x[11], ref x[12]);
            Quarter(ref x[2], ref x[7], ref x[8], ref x[13]);
            Quarter(ref x[3], ref x[4], ref x[9], ref x[14]);
        }
        for (int word = 0; word < 16; word++)
        {
            var v = x[word] + start[word];
            for (int lane = 0; lane < 8; lane++)
                BinaryPrimitives.WriteUInt32LittleEndian(output[(lane * BlockBytes + 4 * word)..], v.GetElement(lane));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter(ref Vector256<uint> a, ref Vector256<uint> b, ref Vector256<uint> c, ref Vector256<uint> d)
    {
        a += b; d = Rotate(d ^ a, 16);
        c += d; b = Rotate(b ^ c, 12);
        a += b; d = Rotate(d ^ a, 8);
        c += d; b = Rotate(b ^ c, 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotate(Vector256<uint> v, [ConstantExpected] int bits) =>
        Vector256.ShiftLeft(v, bits) | Vector256.ShiftRightLogical(v, 32 - bits);
}
