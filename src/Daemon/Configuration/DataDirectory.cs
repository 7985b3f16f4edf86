namespace P2P.Daemon.Configuration;

/// <summary>The node's data directory and the well-known files in it.</summary>
public sealed record DataDirectory(string Path)
{
    public const string EnvironmentVariable = "P2PD_DATA_DIR";
    public const string SystemPath = "/var/lib/p2pd";

    public string ConfigFile => Resolve("p2pd.json");
    public string NodeKeyFile => Resolve("node.key");
    public string ApiTokenFile => Resolve("api.token");

    /// <summary>Resolves a configured path: absolute paths stay, relative ones are under this directory.</summary>
    public string Resolve(string path) => System.IO.Path.GetFullPath(path, Path);

    /// <summary>
    /// <c>--data-dir</c>, else <c>$P2PD_DATA_DIR</c>, else <c>/var/lib/p2pd</c> for root under systemd
    /// (<c>INVOCATION_ID</c> or <c>NOTIFY_SOCKET</c> set), else <c>~/.local/share/p2pd</c>.
    /// </summary>
    public static DataDirectory Resolve(string? explicitPath, IReadOnlyDictionary<string, string> environment, bool isRoot, string homeDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return new(System.IO.Path.GetFullPath(explicitPath));
        if (environment.TryGetValue(EnvironmentVariable, out var fromEnvironment) && !string.IsNullOrWhiteSpace(fromEnvironment))
            return new(System.IO.Path.GetFullPath(fromEnvironment));
        var underSystemd = environment.ContainsKey("INVOCATION_ID") || environment.ContainsKey("NOTIFY_SOCKET");
        if (isRoot && underSystemd) return new(SystemPath);
        return new(System.IO.Path.Combine(homeDirectory, ".local", "share", "p2pd"));
    }
}
