using System.Buffers.Binary;
using System.Numerics;
using P2P.Consensus.Encoding;

namespace P2P.Consensus.Accountability;

/// <summary>
/// The validation lottery (docs/consensus.md §4.8): pure functions of the epoch seed, the including block's hash and the
/// receipt id, so anyone can recompute who must judge a receipt and nobody — the executor included — knows it before
/// the receipt is in a block.
/// </summary>
public static class ValidationLottery
{
    public const string Domain = "p2p/lottery/1";
    public const uint PpmScale = 1_000_000;

    /// <summary>L = SHA-256(str("p2p/lottery/1") ‖ epoch seed ‖ including block's hash ‖ receipt id).</summary>
    public static byte[] Seed(ReadOnlySpan<byte> epochSeed, ReadOnlySpan<byte> blockHash, ReadOnlySpan<byte> receiptId) =>
        Hashing.Sha256(new CanonicalWriter().Text(Domain).Fixed(epochSeed, 32).Fixed(blockHash, 32).Fixed(receiptId, 32).ToArray());

    /// <summary>The rate draw of a lottery seed: u64 of its first 8 bytes (big-endian) mod 1 000 000.</summary>
    public static uint RateDraw(ReadOnlySpan<byte> lotterySeed) => (uint)(BinaryPrimitives.ReadUInt64BigEndian(lotterySeed[..8]) % PpmScale);

    /// <summary>
    /// Drawn iff the receipt is deterministic and either among the first <paramref name="fullValidationReceipts"/> receipts of
    /// its epoch (<paramref name="indexInEpoch"/> counts receipts of the epoch in block order from 0) or its rate draw is
    /// below <paramref name="ratePpm"/>.
    /// </summary>
    public static bool IsDrawn(bool deterministic, ulong indexInEpoch, ReadOnlySpan<byte> lotterySeed, uint fullValidationReceipts, uint ratePpm) =>
        deterministic && (indexInEpoch < fullValidationReceipts || RateDraw(lotterySeed) < ratePpm);

    /// <summary>
    /// Draws up to <paramref name="count"/> validators without replacement, weighted: candidates sorted by key (bytewise);
    /// draw k (from 0) takes x = SHA-256(L ‖ u32 k) as an unsigned 256-bit big-endian integer mod the remaining total
    /// weight and picks the first remaining candidate whose running weight sum exceeds x, then removes it. Index 0 is the
    /// validator, the rest the escalation validators. Fewer candidates than <paramref name="count"/>: all of them, in draw order.
    /// </summary>
    public static List<byte[]> DrawValidators(ReadOnlySpan<byte> lotterySeed, IEnumerable<LotteryCandidate> candidates, int count)
    {
        var remaining = candidates.OrderBy(c => c.Node, ByteArrayComparer.Instance).ToList();
        foreach (var c in remaining)
            if (c.Weight.Sign <= 0) throw new ArgumentException("lottery weights must be positive", nameof(candidates));
        var drawn = new List<byte[]>(Math.Min(count, remaining.Count));
        var seed = lotterySeed.ToArray();
        for (uint k = 0; k < count && remaining.Count > 0; k++)
        {
            BigInteger total = 0;
            foreach (var c in remaining) total += c.Weight;
            var x = BigInteger.Remainder(new BigInteger(DrawHash(seed, k), isUnsigned: true, isBigEndian: true), total);
            BigInteger running = 0;
            int pick = remaining.Count - 1;
            for (int i = 0; i < remaining.Count; i++)
            {
                running += remaining[i].Weight;
                if (x < running)
                {
                    pick = i;
                    break;
                }
            }
            drawn.Add(remaining[pick].Node);
            remaining.RemoveAt(pick);
        }
        return drawn;
    }

    /// <summary>SHA-256(L ‖ u32 k): the randomness of draw k.</summary>
    public static byte[] DrawHash(ReadOnlySpan<byte> lotterySeed, uint k) => Hashing.Sha256(new CanonicalWriter().Fixed(lotterySeed, 32).U32(k).ToArray());
}
