using System.Globalization;
using P2P.Consensus.Difficulty;
using P2P.Testing;
using Xunit.Abstractions;

namespace P2P.Consensus.Tests.Difficulty;

/// <summary>Acceptance 1: every line of every published aserti3-2d vector file is reproduced.</summary>
public sealed class AsertVectorTests(ITestOutputHelper output)
{
    // The published vectors' parameters (their README): 600 s blocks, a two-day half-life, Bitcoin's pow limit.
    private static readonly AsertParameters BitcoinCash = new(600, 172_800, 0x1d00ffff);

    [Fact]
    public void Every_line_of_every_vector_file_is_reproduced()
    {
        string? folder = VectorFolder();
        if (folder is null || !Directory.Exists(folder))
        {
            output.WriteLine($"SKIPPED: no ASERT vectors at '{folder ?? "(repository root not found)"}'; set $P2P_ASERT_VECTORS to a folder of run* files");
            return;
        }
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

    private static string? VectorFolder()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("P2P_ASERT_VECTORS");
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        return RepositoryPaths.Root is null ? null : Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "vectors", "asert"));
    }
}

/// <summary>One aserti3-2d vector file: its anchor and its (iteration, height, time, nBits) lines.</summary>
internal sealed record AsertVectorFile(long AnchorHeight, long AnchorParentTime, uint AnchorBits, int DeclaredIterations, IReadOnlyList<AsertVectorLine> Lines)
{
    public static AsertVectorFile Parse(string path)
    {
        long? anchorHeight = null, anchorTime = null;
        uint? anchorBits = null;
        int? iterations = null;
        var lines = new List<AsertVectorLine>();
        foreach (string raw in File.ReadLines(path))
        {
            string text = raw.Trim();
            if (text.Length == 0) continue;
            if (text.StartsWith("##", StringComparison.Ordinal))
            {
                string[] pair = text[2..].Split(':', 2, StringSplitOptions.TrimEntries);
                if (pair.Length != 2) continue;
                switch (pair[0])
                {
                    case "anchor height": anchorHeight = long.Parse(pair[1], CultureInfo.InvariantCulture); break;
                    case "anchor ancestor time": anchorTime = long.Parse(pair[1], CultureInfo.InvariantCulture); break;
                    case "anchor nBits": anchorBits = ParseBits(pair[1]); break;
                    case "iterations": iterations = int.Parse(pair[1], CultureInfo.InvariantCulture); break;
                }
                continue;
            }
            if (text.StartsWith('#')) continue;
            string[] fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 4) throw new FormatException($"{path}: expected 'iteration height time target', got '{text}'");
            lines.Add(new AsertVectorLine(
                int.Parse(fields[0], CultureInfo.InvariantCulture),
                long.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[2], CultureInfo.InvariantCulture),
                ParseBits(fields[3])));
        }
        return new AsertVectorFile(
            anchorHeight ?? throw new FormatException($"{path}: no anchor height"),
            anchorTime ?? throw new FormatException($"{path}: no anchor ancestor time"),
            anchorBits ?? throw new FormatException($"{path}: no anchor nBits"),
            iterations ?? throw new FormatException($"{path}: no iteration count"),
            lines);
    }

    private static uint ParseBits(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : throw new FormatException($"nBits '{text}' is not 0x-prefixed hex");
}

/// <summary>One vector line: the nBits of the block after the one at <c>Height</c> with timestamp <c>Time</c>.</summary>
internal sealed record AsertVectorLine(int Iteration, long Height, long Time, uint Bits);
