namespace P2P.Bench.Soak;

/// <summary>One soak: how many nodes for how long, how many load clients, how often the chaos loop strikes, and the memory bound.</summary>
public sealed record SoakOptions(string Directory, int Nodes, TimeSpan Duration, int Clients, TimeSpan ChaosInterval, TimeSpan RestartDelay, int RssBoundMegabytes, int Seed)
{
    /// <summary>The benchmark's figures: 5 nodes, 10 minutes, 4 clients, a kill every 60 s.</summary>
    public static SoakOptions Full(string directory) => new(directory, 5, TimeSpan.FromMinutes(10), 4, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), 512, 1);

    /// <summary>The CI variant: 3 nodes, 40 s, one kill.</summary>
    public static SoakOptions Short(string directory) => new(directory, 3, TimeSpan.FromSeconds(40), 3, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(3), 512, 1);
}
