using System.Globalization;
using P2P.Daemon.Devnet;

namespace P2P.Bench.Soak;

/// <summary>Samples each running node's resident memory (VmRSS in /proc) and keeps the maximum per node.</summary>
public sealed class MemorySampler(DevnetManifest manifest)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public Dictionary<int, long> MaxRssBytes { get; } = [];

    public async Task RunAsync(DateTime until)
    {
        while (DateTime.UtcNow < until)
        {
            Sample();
            await Task.Delay(Interval);
        }
        Sample();
    }

    public void Sample()
    {
        foreach (var node in manifest.Nodes)
        {
            if (DevnetProcesses.RunningPid(node) is { } pid && Rss(pid) is { } rss) MaxRssBytes[node.Index] = Math.Max(MaxRssBytes.GetValueOrDefault(node.Index), rss);
        }
    }

    private static long? Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kilobytes is null ? null : long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
