using System.Collections.Concurrent;
using P2P.Daemon.Devnet;

namespace P2P.Bench.Soak;

/// <summary>Every interval: a random node is stopped (SIGKILL and SIGTERM alternately, first SIGKILL) and started again after a short delay.</summary>
public sealed class ChaosLoop(DevnetManifest manifest, SoakOptions options, TextWriter output)
{
    /// <summary>A connection failure within this long after a node came back still counts as that node being down (it was starting).</summary>
    private static readonly TimeSpan StartupAllowance = TimeSpan.FromSeconds(20);

    private readonly Random _random = new(options.Seed);
    private readonly ConcurrentDictionary<int, DateTime> _downUntil = new();

    public int Kills { get; private set; }

    public int Terminations { get; private set; }

    public int Restarts { get; private set; }

    /// <summary>How often each node (by index) was stopped.</summary>
    public ConcurrentDictionary<int, int> StopsByNode { get; } = new();

    public List<string> Failures { get; } = [];

    /// <summary>Whether the node is down, or was within <see cref="StartupAllowance"/>: the load clients' excuse for a broken connection.</summary>
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
            _downUntil[node.Index] = DateTime.UtcNow + StartupAllowance;
        }
    }
}
