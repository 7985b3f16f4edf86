using P2P.Inference.Models;

namespace P2P.InferenceNetwork.Serving;

/// <summary>One model this node serves: a Hugging Face folder or <c>seed:</c> spec, and the layers it holds (null = all).</summary>
public sealed record ServedModelSpec(string Model, ShardRange? Layers)
{
    /// <summary>Parses <c>all</c>, an empty string, or <c>[a,b)</c> / <c>a-b</c> (end exclusive).</summary>
    public static ShardRange? ParseLayers(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return null;
        var trimmed = text.Trim().TrimStart('[').TrimEnd(')', ']');
        var parts = trimmed.Split([',', '-'], StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], out var start) || !int.TryParse(parts[1], out var end) || start < 0 || end <= start)
            throw new FormatException($"layers '{text}' are not 'all' or '[a,b)' with 0 <= a < b");
        return new ShardRange(start, end);
    }
}
