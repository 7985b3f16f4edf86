using System.Numerics;
using P2P.Consensus.Accountability;

namespace P2P.Consensus.Tests.Accountability;

/// <summary>
/// The lottery's golden vectors (tests/Consensus/Accountability/lottery-vectors.txt and the table of docs/consensus.md
/// §4.8), computed from the code: epoch seed 32 × 0x11, block hash 32 × 0x22, candidates 32 × 0xa1 … 0xa4 with weights
/// 1 … 4, a rate of 500 000 ppm, 1 000 full-validation receipts, 1 + 2 validators drawn.
/// </summary>
public static class LotteryVectors
{
    public const uint RatePpm = 500_000;
    public const uint FullValidationReceipts = 1000;
    public const int Count = 3;

    public static byte[] Fill(byte value) => Enumerable.Repeat(value, 32).ToArray();

    public static IReadOnlyList<LotteryCandidate> Candidates { get; } =
        [new(Fill(0xa1), 1), new(Fill(0xa2), 2), new(Fill(0xa3), 3), new(Fill(0xa4), new BigInteger(4))];

    /// <summary>One receipt's row: id byte, its index in the epoch, the lottery seed, the rate draw, drawn, the drawn validators by key byte.</summary>
    public sealed record Row(byte IdByte, ulong Index, string Seed, uint RateDraw, bool Drawn, string Validators)
    {
        public string FileLine => $"{IdByte:x2} {Index} {Seed} {RateDraw} {(Drawn ? 1 : 0)} {Validators}";

        public string DocRow => $"| {IdByte:x2} | {Index} | `{Seed[..16]}…` | {RateDraw} | {(Drawn ? "yes" : "no")} | {Validators} |";
    }

    public static IReadOnlyList<Row> Compute()
    {
        var rows = new List<Row>();
        for (byte b = 1; b <= 8; b++)
        {
            ulong index = b == 1 ? 0 : 1000UL + b;
            var seed = ValidationLottery.Seed(Fill(0x11), Fill(0x22), Fill(b));
            var validators = ValidationLottery.DrawValidators(seed, Candidates, Count);
            rows.Add(new Row(b, index, Convert.ToHexStringLower(seed), ValidationLottery.RateDraw(seed),
                ValidationLottery.IsDrawn(true, index, seed, FullValidationReceipts, RatePpm), string.Join(",", validators.Select(v => v[0].ToString("x2")))));
        }
        return rows;
    }
}
