using P2P.Consensus.Genesis;

namespace P2P.Daemon.Devnet;

/// <summary>The model a devnet serves: the genesis's first seeded model, as an inference seed spec (nothing to download).</summary>
public static class DevnetModel
{
    private const string GenesisPrefix = "seeded:";

    /// <summary>"seeded:tiny:1" → "seed:preset=tiny,seed=1"; null when the genesis names no seeded model.</summary>
    public static string? SpecOf(GenesisConfig genesis) =>
        genesis.Models.Select(m => SpecOf(m.Source)).FirstOrDefault(s => s is not null);

    public static string? SpecOf(string source)
    {
        if (!source.StartsWith(GenesisPrefix, StringComparison.Ordinal)) return null;
        var parts = source[GenesisPrefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || !ulong.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var seed)) return null;
        return FormattableString.Invariant($"seed:preset={parts[0]},seed={seed}");
    }
}
