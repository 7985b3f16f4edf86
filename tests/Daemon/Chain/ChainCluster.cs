using P2P.Consensus.Genesis;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Chain;

/// <summary>
/// Real <c>p2pd run</c> processes on loopback following one test chain: the cluster writes the genesis file once, and
/// each node gets its own data directory (with its node key) and API port, mines on 1 thread when asked, and runs
/// with the cluster's node arguments, then the node's own. The default genesis is <see cref="TestGenesis"/> with
/// epochs of 4 blocks.
/// </summary>
public sealed class ChainCluster : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly Lock _gate = new();
    private readonly List<ChainTestNode> _nodes = [];
    private readonly string[] _nodeArguments;

    public ChainCluster() : this(TestGenesis("p2p-e2e", epochLength: 4))
    {
    }

    /// <param name="genesis">The chain every node follows.</param>
    /// <param name="nodeArguments">Settings every node of this cluster gets (after the cluster's own, before a node's).</param>
    public ChainCluster(GenesisConfig genesis, params string[] nodeArguments)
    {
        Genesis = genesis;
        _nodeArguments = nodeArguments;
        GenesisFile = _temp.Sub("genesis.json");
        File.WriteAllText(GenesisFile, Genesis.ToJson());
    }

    /// <summary>
    /// The devnet profile with 2-second blocks at an easy start (2^14 nonces), a 20-second ASERT half-life and epochs of
    /// <paramref name="epochLength"/> blocks, so that several epochs pass within a test on a loaded 2-core machine
    /// whatever its hash rate.
    /// </summary>
    public static GenesisConfig TestGenesis(string name, int epochLength) => GenesisConfig.Devnet(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), name) with
    {
        EpochLength = epochLength,
        TargetBlockSeconds = 2,
        InitialBits = 0x1f040000,
        AsertHalfLifeSeconds = 20,
        ShareShift = 3,
        ShareWindow = 4,
        IssuancePerEpoch = 1_000_000,
    };

    public GenesisConfig Genesis { get; }
    public string GenesisFile { get; }

    /// <summary>How long a node's API client waits for an answer.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A snapshot of the nodes started so far (safe to read while another task starts one).</summary>
    public IReadOnlyList<ChainTestNode> Nodes
    {
        get { lock (_gate) return [.. _nodes]; }
    }

    /// <summary>Starts a node bootstrapped to <paramref name="bootstrap"/> (none: the first) and waits until its API is healthy.</summary>
    public async Task<ChainTestNode> StartAsync(string name, bool mining, string? bootstrap, params string[] extra)
    {
        var dataDirectory = _temp.Sub(name);
        var output = new StringWriter();
        Assert.Equal(0, InitCommand.Run(dataDirectory, force: false, output, new StringWriter()));
        var peerId = output.ToString().Split('\n').Single(l => l.Contains("peer id", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        int port = FreePort.Next();
        var arguments = new List<string>
        {
            "run", "--data-dir", dataDirectory, $"--Api:Port={port}", $"--Chain:Genesis={GenesisFile}",
            $"--Mining:Enabled={(mining ? "true" : "false")}", "--Mining:Threads=1",
            "--Pubsub:HeartbeatIntervalMs=200", "--Discovery:DiscoveryIntervalSeconds=1",
        };
        arguments.AddRange(_nodeArguments);
        if (bootstrap is not null) arguments.Add($"--Network:BootstrapPeers:0={bootstrap}");
        arguments.AddRange(extra);
        var node = new ChainTestNode(name, dataDirectory, port, [.. arguments], peerId, HttpTimeout);
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

    /// <summary>Polls until <paramref name="condition"/> yields a value; fails with <paramref name="what"/> and every node's log tail after <paramref name="limit"/>.</summary>
    public async Task<T> UntilAsync<T>(Func<Task<T?>> condition, TimeSpan limit, string what) where T : class
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (await condition() is { } value) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{what} within {limit}:\n" + string.Join("\n", Nodes.Select(n => $"--- {n.Name}\n{Tail(n.Logs, 25)}")));
            await Task.Delay(200);
        }
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
        var report = string.Join("\n", nodes.Select((n, i) => $"{n.Name}: {views.ElementAtOrDefault(i)}\n{Tail(n.Logs, 15)}"));
        Assert.Fail($"no agreement at height ≥ {minHeight} within {limit}:\n{report}");
        return default;
    }

    private static string Tail(string text, int lines) => string.Join("\n", text.Split('\n').TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        _temp.Dispose();
    }
}
