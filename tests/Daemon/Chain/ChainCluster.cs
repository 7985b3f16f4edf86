using P2P.Consensus.Genesis;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Chain;

/// <summary>
/// Real <c>p2pd run</c> processes on loopback following one test chain. The genesis is the devnet profile with short
/// epochs (E = 4) and 2-second blocks at an easy start (2^14 nonces) and a 20-second ASERT half-life, so that several
/// epochs pass within a test on a loaded 2-core machine whatever its hash rate; each node mines on 1 thread.
/// </summary>
public sealed class ChainCluster : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly Lock _gate = new();
    private readonly List<ChainTestNode> _nodes = [];

    public ChainCluster()
    {
        Genesis = GenesisConfig.Devnet(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "p2p-e2e") with
        {
            EpochLength = 4,
            TargetBlockSeconds = 2,
            InitialBits = 0x1f040000,
            AsertHalfLifeSeconds = 20,
            ShareShift = 3,
            ShareWindow = 4,
            IssuancePerEpoch = 1_000_000,
        };
        GenesisFile = _temp.Sub("genesis.json");
        File.WriteAllText(GenesisFile, Genesis.ToJson());
    }

    public GenesisConfig Genesis { get; }
    public string GenesisFile { get; }

    /// <summary>A snapshot of the nodes started so far (safe to read while another task starts one).</summary>
    public IReadOnlyList<ChainTestNode> Nodes
    {
        get { lock (_gate) return [.. _nodes]; }
    }

    public async Task<ChainTestNode> StartAsync(string name, bool mining, string? bootstrap)
    {
        var dataDirectory = _temp.Sub(name);
        Assert.Equal(0, InitCommand.Run(dataDirectory, force: false, new StringWriter(), new StringWriter()));
        int port = FreePort.Next();
        var arguments = new List<string>
        {
            "run", "--data-dir", dataDirectory, $"--Api:Port={port}", $"--Chain:Genesis={GenesisFile}",
            $"--Mining:Enabled={(mining ? "true" : "false")}", "--Mining:Threads=1",
            "--Pubsub:HeartbeatIntervalMs=200", "--Discovery:DiscoveryIntervalSeconds=1",
        };
        if (bootstrap is not null) arguments.Add($"--Network:BootstrapPeers:0={bootstrap}");
        var node = new ChainTestNode(name, dataDirectory, port, [.. arguments]);
        lock (_gate) _nodes.Add(node);
        await node.Process.WaitUntilHealthyAsync(port);
        return node;
    }

    /// <summary>Starts the node's process again with the same data directory and arguments.</summary>
    public static async Task RestartAsync(ChainTestNode node)
    {
        await node.Process.DisposeAsync();
        node.Process = DaemonProcess.Start(node.Arguments);
        await node.Process.WaitUntilHealthyAsync(node.ApiPort);
    }

    /// <summary>
    /// Polls until every node reports the same head (at least <paramref name="minHeight"/>) and state digest in one
    /// round of queries; returns it, or fails with each node's view and log tail.
    /// </summary>
    public static async Task<(ulong Height, string Head, string Digest)> AgreementAsync(IReadOnlyList<ChainTestNode> nodes, ulong minHeight, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var views = new List<(ulong Height, string Head, string Digest)?>();
        while (DateTime.UtcNow < deadline)
        {
            views.Clear();
            foreach (var node in nodes) views.Add(await node.TryHeadAsync());
            if (views.All(v => v is not null) && views.Select(v => v!.Value).Distinct().Count() == 1 && views[0]!.Value.Height >= minHeight) return views[0]!.Value;
            await Task.Delay(100);
        }
        var report = string.Join("\n", nodes.Select((n, i) => $"{n.Name}: {views.ElementAtOrDefault(i)}\n{Tail(n.Logs)}"));
        Assert.Fail($"no agreement at height ≥ {minHeight} within {limit}:\n{report}");
        return default;
    }

    private static string Tail(string text) => string.Join("\n", text.Split('\n').TakeLast(15));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        _temp.Dispose();
    }
}
