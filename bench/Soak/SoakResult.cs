using System.Globalization;

namespace P2P.Bench.Soak;

/// <summary>The soak's figures and whether its criteria held.</summary>
public sealed record SoakResult(
    int Nodes, TimeSpan Duration, IReadOnlyDictionary<RequestOutcome, int> Outcomes, IReadOnlyDictionary<string, int> ErrorCodes, IReadOnlyList<string> UncleanDetails,
    int Kills, int Terminations, int Restarts, int LiveNodes, int AgreeingNodes, ulong Height, string HeadHash, string StateDigest, TimeSpan ConvergedAfter,
    IReadOnlyDictionary<int, long> MaxRssBytes, int RssBoundMegabytes, ChainAuditResult Chain, IReadOnlyList<string> Problems)
{
    public bool Holds => Problems.Count == 0;

    public int Requests => Outcomes.Values.Sum();

    public void Print(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"soak: {Nodes} nodes for {Duration.TotalSeconds:F0} s; chaos: {Kills} SIGKILL, {Terminations} SIGTERM, {Restarts} restarts"));
        output.WriteLine(string.Create(inv, $"requests: {Requests} — complete {Outcomes[RequestOutcome.Complete]}, clean errors {Outcomes[RequestOutcome.CleanError]}, gateway down {Outcomes[RequestOutcome.GatewayDown]}, unclean {Outcomes[RequestOutcome.Unclean]}"));
        foreach (var (code, count) in ErrorCodes.OrderByDescending(e => e.Value)) output.WriteLine($"  clean error {code}: {count}");
        foreach (var detail in UncleanDetails) output.WriteLine($"  unclean: {detail}");
        output.WriteLine(string.Create(inv, $"agreement: {AgreeingNodes} of {LiveNodes} live nodes on height {Height} head {HeadHash[..Math.Min(16, HeadHash.Length)]} digest {StateDigest[..Math.Min(16, StateDigest.Length)]} (converged {ConvergedAfter.TotalSeconds:F1} s after the load stopped)"));
        output.WriteLine(string.Create(inv, $"memory: max RSS per node {string.Join(", ", MaxRssBytes.OrderBy(m => m.Key).Select(m => $"{m.Key}: {m.Value / (1024 * 1024)} MiB"))} (bound {RssBoundMegabytes} MiB)"));
        output.WriteLine($"chain: {Chain.Summary}");
        Chain.Verdicts.Print(output);
        output.WriteLine(Holds ? "soak: PASS" : $"soak: FAIL — {string.Join("; ", Problems)}");
    }
}
