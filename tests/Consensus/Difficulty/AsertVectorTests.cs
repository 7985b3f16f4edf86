using System.Globalization;
using P2P.Consensus.Difficulty;
using Xunit.Abstractions;

namespace P2P.Consensus.Tests.Difficulty;

/// <summary>Acceptance 1: every line of every published aserti3-2d vector file is reproduced.</summary>
public sealed class AsertVectorTests(ITestOutputHelper output)
{
    // The published vectors' parameters (their README): 600 s blocks, a two-day half-life, Bitcoin's pow limit.
    private static readonly AsertParameters BitcoinCash = new(600, 172_800, 0x1d00ffff);

    [AsertVectorsFact]
    public void AsertVectors_EveryLineOfEveryFileIsReproduced()
    {
        string folder = AsertVectorsFactAttribute.Folder!;
        string[] files = Directory.GetFiles(folder, "run*").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);

        int lines = 0;
        var mismatches = new List<string>();
        foreach (string file in files)
        {
            var run = AsertVectorFile.Parse(file);
            Assert.NotEmpty(run.Lines);
            foreach (var line in run.Lines)
            {
                // The vectors count heights from the parent (Bitcoin Cash Node's nHeightDiff): see Asert's remarks.
                uint actual = Asert.NextBits(BitcoinCash, run.AnchorHeight, run.AnchorParentTime, run.AnchorBits, line.Height + 1, line.Time);
                if (actual != line.Bits)
                    mismatches.Add($"{Path.GetFileName(file)} iteration {line.Iteration}: expected 0x{line.Bits:x8}, got 0x{actual:x8}");
                lines++;
            }
            Assert.Equal(run.DeclaredIterations, run.Lines.Count);
        }
        output.WriteLine($"{files.Length} files, {lines} lines from {folder}");
        Assert.Empty(mismatches);
    }
}
