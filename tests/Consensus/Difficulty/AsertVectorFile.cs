using System.Globalization;

namespace P2P.Consensus.Tests.Difficulty;

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
