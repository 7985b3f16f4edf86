using System.Globalization;

namespace P2P.Bench.Soak;

/// <summary>
/// The receipts on one node's main chain by state, the verdicts in blocks by outcome and reason code, and each
/// final-invalid receipt's reason (the reasons of its invalid verdicts) by executor node, with how often the chaos loop
/// stopped that node; the final-invalid receipts for any reason but an unavailable record, in detail.
/// </summary>
public sealed record VerdictTally(
    IReadOnlyDictionary<string, int> ReceiptsByState, IReadOnlyDictionary<string, int> VerdictsByReason,
    IReadOnlyDictionary<(string Reason, string Executor), int> FinalInvalidByReason, IReadOnlyDictionary<string, int> StopsByNode,
    IReadOnlyList<string> FalseRejectionSuspects, int Unanswered)
{
    /// <summary>Final-invalid receipts for a reason other than an unavailable record: every soak executor is honest, so each is a false rejection.</summary>
    public int FalseRejections => FinalInvalidByReason.Where(f => f.Key.Reason.Split('+').Any(r => r != Unavailable)).Sum(f => f.Value);

    /// <summary>The reason of a verdict whose executor could not show its record (reason 3): by design against the executor, expected when it was killed.</summary>
    public const string Unavailable = "inputs_unavailable";

    /// <summary>How long reading every receipt's path took.</summary>
    public TimeSpan ReadIn { get; init; }

    public static VerdictTally Empty { get; } = new(new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<(string, string), int>(), new Dictionary<string, int>(), [], 0);

    public void Print(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"receipts by state (read in {ReadIn.TotalSeconds:F0} s): {Join(ReceiptsByState)}{(Unanswered > 0 ? $" ({Unanswered} not answered)" : "")}"));
        output.WriteLine($"verdicts in blocks by reason: {Join(VerdictsByReason)}");
        foreach (var group in FinalInvalidByReason.GroupBy(f => f.Key.Reason).OrderByDescending(g => g.Sum(f => f.Value)))
        {
            output.WriteLine(string.Create(inv, $"final invalid, {group.Key}: {group.Sum(f => f.Value)} — by executor node: ") +
                string.Join(", ", group.OrderBy(f => f.Key.Executor, StringComparer.Ordinal).Select(f => string.Create(inv, $"{f.Key.Executor} ×{f.Value} (stopped {StopsByNode.GetValueOrDefault(f.Key.Executor)}×)"))));
        }
        foreach (var suspect in FalseRejectionSuspects) output.WriteLine($"  final invalid for another reason than {Unavailable}: {suspect}");
    }

    private static string Join(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}")));
}
