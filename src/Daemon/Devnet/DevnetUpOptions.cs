namespace P2P.Daemon.Devnet;

/// <summary>What <c>p2pd devnet up</c> was asked for.</summary>
/// <param name="Serve">Nodes serving the model; null = half of them, at least 2, never node 0 (unless it is alone).</param>
public sealed record DevnetUpOptions(string Directory, int Nodes, int? Serve, int TimeoutSeconds, bool Foreground)
{
    public const int MaxNodes = 64;

    public int ServingNodes => Nodes == 1 ? 1 : Math.Min(Serve ?? Math.Max(2, Nodes / 2), Nodes - 1);

    public string? Problem() =>
        Nodes is < 1 or > MaxNodes ? $"--nodes {Nodes} is out of range (1-{MaxNodes})"
        : Serve is < 0 ? $"--serve {Serve} must not be negative"
        : Serve >= Nodes && Nodes > 1 ? $"--serve {Serve}: at most {Nodes - 1} (node 0 routes over the network and serves nothing)"
        : TimeoutSeconds is < 1 or > 3600 ? $"--timeout {TimeoutSeconds} is out of range (1-3600)"
        : null;
}
