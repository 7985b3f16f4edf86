using System.Text.RegularExpressions;
using P2P.Consensus.Reasons;
using P2P.Testing;

namespace P2P.Consensus.Tests.Docs;

/// <summary>docs/consensus.md states the code's behaviour: its vectors and its reason-code table match.</summary>
public sealed partial class ConsensusDocTests
{
    private static string? ReadDoc() =>
        RepositoryPaths.Root is { } root && File.Exists(Path.Combine(root, "docs", "consensus.md")) ? File.ReadAllText(Path.Combine(root, "docs", "consensus.md")) : null;

    [Fact]
    public void SpecTestVectors_MatchTheCode()
    {
        var doc = ReadDoc();
        Assert.NotNull(doc);
        var block = VectorBlock().Match(doc!);
        Assert.True(block.Success, "docs/consensus.md has no ```vectors block");
        var documented = block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(" = ", 2)).ToDictionary(p => p[0], p => p[1]);
        var computed = ConsensusVectors.Compute();
        string expected = string.Join("\n", computed.Select(v => $"{v.Name} = {v.Value}"));
        Assert.True(computed.All(v => documented.GetValueOrDefault(v.Name) == v.Value) && documented.Count == computed.Count,
            "the vectors block should read:\n" + expected);
    }

    [Fact]
    public void RejectReasons_AreDocumentedWithTheirNumbers()
    {
        var doc = ReadDoc();
        Assert.NotNull(doc);
        foreach (var reason in Enum.GetValues<RejectReason>())
            Assert.Contains($"| {(int)reason} | `{reason}` |", doc!);
    }

    [Fact]
    public void SpecItemSizes_MatchTheCode()
    {
        var doc = ReadDoc();
        Assert.NotNull(doc);
        Assert.Contains($"### 2.1 Header ({P2P.Consensus.Blocks.BlockHeader.EncodedLength} bytes)", doc!);
        Assert.Contains($"| share | {P2P.Consensus.Blocks.Share.EncodedLength} |", doc);
        Assert.Contains($"| transfer | {P2P.Consensus.Blocks.Transfer.EncodedLength} |", doc);
        Assert.Contains($"| receipt | {P2P.Consensus.Blocks.Receipt.EncodedLength} |", doc);
        Assert.Contains($"| verdict | {P2P.Consensus.Blocks.Verdict.EncodedLength} |", doc);
        Assert.Contains($"| service declaration | {P2P.Consensus.Blocks.ServiceDeclaration.EncodedLength} |", doc);
    }

    [Fact]
    public void LotteryTable_MatchesTheCode()
    {
        var doc = ReadDoc();
        Assert.NotNull(doc);
        foreach (var row in P2P.Consensus.Tests.Accountability.LotteryVectors.Compute())
            Assert.Contains(row.DocRow, doc!);
    }

    [GeneratedRegex("```vectors\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex VectorBlock();
}
