using System.Collections.Concurrent;
using System.Diagnostics;
using P2P.Daemon.Devnet;

namespace P2P.Bench.Soak;

/// <summary>Every interval: a random node is stopped (SIGKILL and SIGTERM alternately, first SIGKILL) and started again after a short delay.</summary>
public sealed class ChaosLoop(DevnetManifest manifest, SoakOptions options, TextWriter output)
{
    /// <summary>A restarted node must answer its API within this long, or the soak fails.</summary>
    private static readonly TimeSpan RestartBound = TimeSpan.FromSeconds(120);

    /// <summary>A connection failure within this long after a node answered again still counts as down (requests sent before it was back).</summary>
    private static readonly TimeSpan BackAllowance = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);

    private readonly Random _random = new(options.Seed);
    private readonly ConcurrentDictionary<int, DateTime> _downUntil = new();

    public int Kills { get; private set; }

    public int Terminations { get; private set; }

    public int Restarts { get; private set; }

    /// <summary>How often each node (by index) was stopped.</summary>
    public ConcurrentDictionary<int, int> StopsByNode { get; } = new();

    public List<string> Failures { get; } = [];

    /// <summary>From each restart to the node's API answering again.</summary>
    public List<TimeSpan> RestartTimes { get; } = [];

    /// <summary>Whether the node is down, restarting, or answered again within <see cref="BackAllowance"/>: the load clients' excuse for a broken connection.</summary>
    public bool WasDown(DevnetNode node) =>
        DevnetProcesses.RunningPid(node) is null || (_downUntil.TryGetValue(node.Index, out var until) && DateTime.UtcNow < until);

    public async Task RunAsync(DateTime until)
    {
        bool kill = true;
        while (DateTime.UtcNow + options.ChaosInterval < until)
        {
            await Task.Delay(options.ChaosInterval);
            var node = manifest.Nodes[_random.Next(manifest.Nodes.Count)];
            _downUntil[node.Index] = DateTime.MaxValue;
            int signal = kill ? PosixSignals.Sigkill : PosixSignals.Sigterm;
            bool stopped = await DevnetProcesses.SignalAndWaitAsync(node, signal, DevnetProcesses.StopGrace);
            if (!stopped)
            {
                Failures.Add($"node {node.Name} still ran {DevnetProcesses.StopGrace.TotalSeconds:F0} s after {(kill ? "SIGKILL" : "SIGTERM")}");
                await DevnetProcesses.SignalAndWaitAsync(node, PosixSignals.Sigkill, TimeSpan.FromSeconds(5));
            }
            if (kill) Kills++; else Terminations++;
            StopsByNode.AddOrUpdate(node.Index, 1, (_, stops) => stops + 1);
            output.WriteLine($"  [{DateTime.UtcNow:HH:mm:ss}] chaos: {(kill ? "SIGKILL" : "SIGTERM")} node {node.Name}, restart in {options.RestartDelay.TotalSeconds:F0} s");
            kill = !kill;
            await Task.Delay(options.RestartDelay);
            DevnetProcesses.Start(node, DevnetNodeArguments.For(manifest, node));
            Restarts++;
            var back = await WaitUntilAnsweringAsync(node);
            if (back is { } took)
            {
                RestartTimes.Add(took);
                output.WriteLine($"  [{DateTime.UtcNow:HH:mm:ss}] chaos: node {node.Name} answers again, {took.TotalSeconds:F1} s after its restart");
            }
            else Failures.Add($"node {node.Name} did not answer its API within {RestartBound.TotalSeconds:F0} s of its restart");
            _downUntil[node.Index] = DateTime.UtcNow + BackAllowance;
        }
        if (RestartTimes.Count > 0)
        {
            var sorted = RestartTimes.Order().ToList();
            output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"chaos: a restarted node answered again after {sorted[sorted.Count / 2].TotalSeconds:F1} s (median), {sorted[^1].TotalSeconds:F1} s (slowest of {sorted.Count})"));
        }
    }

    /// <summary>Polls the restarted node's API until it answers (its time since the restart), or null past <see cref="RestartBound"/>.</summary>
    private static async Task<TimeSpan?> WaitUntilAnsweringAsync(DevnetNode node)
    {
        using var probe = new DevnetProbe();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < RestartBound)
        {
            if (await probe.HeightAsync(node, CancellationToken.None) is not null) return clock.Elapsed;
            await Task.Delay(ProbeInterval);
        }
        return null;
    }
}
