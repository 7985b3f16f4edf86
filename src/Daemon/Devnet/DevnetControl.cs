using System.Globalization;

namespace P2P.Daemon.Devnet;

/// <summary><c>p2pd devnet status | logs | stop | down</c> on the devnet in one directory.</summary>
public sealed class DevnetControl(string directory, TextWriter output, TextWriter error)
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    public string Directory { get; } = Path.GetFullPath(directory);

    public async Task<int> StatusAsync(CancellationToken cancellation)
    {
        if (Load() is not { } manifest) return 1;
        using var probe = new DevnetProbe();
        var heights = new Dictionary<int, ulong?>();
        var states = new Dictionary<int, string>();
        foreach (var node in manifest.Nodes)
        {
            if (DevnetProcesses.RunningPid(node) is { } pid)
            {
                heights[node.Index] = await probe.HeightAsync(node, cancellation);
                int? peers = await probe.PeerCountAsync(node, cancellation);
                states[node.Index] = peers is null ? $"starting (pid {pid})" : $"running (pid {pid}, {peers} peers)";
            }
            else
            {
                states[node.Index] = "stopped";
            }
        }
        int running = states.Values.Count(s => s != "stopped");
        output.WriteLine($"devnet {Directory}: chain {manifest.ChainId[..16]}…, {running} of {manifest.Nodes.Count} nodes running");
        DevnetReport.WriteTable(output, manifest, heights, states);
        return 0;
    }

    /// <summary>The last <paramref name="lines"/> lines of one node's log (or each node's), then with <paramref name="follow"/> new lines until cancelled.</summary>
    public async Task<int> LogsAsync(string? nodeName, int lines, bool follow, CancellationToken cancellation)
    {
        if (Load() is not { } manifest) return 1;
        IReadOnlyList<DevnetNode> nodes = manifest.Nodes;
        if (nodeName is not null)
        {
            if (manifest.Node(nodeName) is not { } node)
            {
                error.WriteLine($"p2pd: no node {nodeName} in the devnet (nodes 0-{manifest.Nodes.Count - 1})");
                return 2;
            }
            nodes = [node];
        }
        bool prefix = nodes.Count > 1;
        var offsets = new Dictionary<int, long>();
        foreach (var node in nodes)
        {
            foreach (var line in DevnetReport.Tail(node.LogFile, lines)) output.WriteLine(prefix ? $"[{node.Name}] {line}" : line);
            offsets[node.Index] = File.Exists(node.LogFile) ? new FileInfo(node.LogFile).Length : 0;
        }
        if (!follow) return 0;
        var partial = nodes.ToDictionary(n => n.Index, _ => "");
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                foreach (var node in nodes) offsets[node.Index] = Append(node, offsets[node.Index], partial, prefix);
                await output.FlushAsync(cancellation);
                await Task.Delay(FollowInterval, cancellation);
            }
        }
        catch (OperationCanceledException)
        {
        }
        return 0;
    }

    private long Append(DevnetNode node, long offset, Dictionary<int, string> partial, bool prefix)
    {
        if (!File.Exists(node.LogFile)) return offset;
        using var stream = new FileStream(node.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < offset) offset = 0;
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var text = partial[node.Index] + reader.ReadToEnd();
        var parts = text.Split('\n');
        for (int i = 0; i < parts.Length - 1; i++) output.WriteLine(prefix ? $"[{node.Name}] {parts[i]}" : parts[i]);
        partial[node.Index] = parts[^1];
        return stream.Length;
    }

    public async Task<int> StopAsync()
    {
        if (Load() is not { } manifest) return 1;
        await DevnetProcesses.StopAsync(manifest.Nodes, output);
        output.WriteLine($"devnet in {Directory} stopped; its data is kept ('p2pd devnet up --dir {Directory}' restarts it)");
        return 0;
    }

    /// <summary>Stops every node and removes the directory; only a directory with a devnet manifest is ever removed.</summary>
    public async Task<int> DownAsync()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            output.WriteLine($"no devnet in {Directory}: nothing to do");
            return 0;
        }
        if (Load() is not { } manifest) return 1;
        await DevnetProcesses.StopAsync(manifest.Nodes, output);
        System.IO.Directory.Delete(Directory, recursive: true);
        output.WriteLine($"devnet in {Directory} stopped and removed ({manifest.Nodes.Count.ToString(CultureInfo.InvariantCulture)} nodes)");
        return 0;
    }

    private DevnetManifest? Load()
    {
        try
        {
            if (DevnetManifest.Load(Directory) is { } manifest) return manifest;
            error.WriteLine($"p2pd: no devnet in {Directory} (no {DevnetManifest.FileName}; 'p2pd devnet up --dir {Directory}' creates one)");
        }
        catch (Exception failure) when (failure is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"p2pd: {failure.Message}");
        }
        return null;
    }
}
