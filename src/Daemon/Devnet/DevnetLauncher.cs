using System.Diagnostics;
using P2P.Consensus.Encoding;
using P2P.Consensus.Genesis;
using P2P.Daemon.Api;
using P2P.Daemon.Configuration;
using P2P.Networking.Identity;

namespace P2P.Daemon.Devnet;

/// <summary><c>p2pd devnet up</c>: lays out a new devnet (or restarts a stopped one), starts its daemons and waits until it mines and serves.</summary>
public sealed class DevnetLauncher(TextWriter output, TextWriter error, TimeProvider time)
{
    public const string GenesisFileName = "genesis.json";

    /// <summary>Exit codes as the CLI's: 0 ready, 1 failure (nothing left running), 2 bad options.</summary>
    public async Task<int> UpAsync(DevnetUpOptions options, CancellationToken cancellation)
    {
        if (options.Problem() is { } problem)
        {
            error.WriteLine($"p2pd: {problem}");
            return 2;
        }
        var directory = Path.GetFullPath(options.Directory);
        DevnetManifest? manifest;
        try
        {
            manifest = DevnetManifest.Load(directory);
        }
        catch (InvalidDataException failure)
        {
            error.WriteLine($"p2pd: {failure.Message}");
            return 1;
        }
        if (manifest is not null)
        {
            var running = manifest.Nodes.Where(n => DevnetProcesses.RunningPid(n) is not null).ToList();
            if (running.Count > 0)
            {
                error.WriteLine($"p2pd: a devnet is already running in {directory} ({running.Count} of {manifest.Nodes.Count} nodes up); " +
                                $"'p2pd devnet status --dir {directory}' shows it, 'p2pd devnet down --dir {directory}' stops and removes it");
                return 1;
            }
            output.WriteLine($"restarting the stopped devnet in {directory} ({manifest.Nodes.Count} nodes; its data is kept)");
        }
        else if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            error.WriteLine($"p2pd: {directory} exists and is not a devnet (no {DevnetManifest.FileName}); choose another --dir");
            return 1;
        }
        else
        {
            manifest = Create(directory, options);
        }

        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var node in manifest.Nodes) DevnetProcesses.Start(node, DevnetNodeArguments.For(manifest, node));
            output.WriteLine($"started {manifest.Nodes.Count} p2pd daemons (logs: {Path.Combine(directory, "node-*", "p2pd.log")})");
            if (!await WaitUntilReadyAsync(manifest, TimeSpan.FromSeconds(options.TimeoutSeconds), cancellation))
            {
                await DevnetProcesses.StopAsync(manifest.Nodes, output);
                error.WriteLine($"p2pd: the devnet stopped; its data stays in {directory} ('p2pd devnet up' restarts it, 'p2pd devnet down' removes it)");
                return 1;
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            output.WriteLine("interrupted: stopping the devnet");
            await DevnetProcesses.StopAsync(manifest.Nodes, output);
            return 130;
        }
        output.WriteLine($"devnet ready in {clock.Elapsed.TotalSeconds:F0} s");
        output.WriteLine();
        DevnetReport.WriteTable(output, manifest, await ReadHeadsAsync(manifest));
        output.WriteLine();
        if (manifest.ModelSpec is { } model)
        {
            output.WriteLine($"Chat with the devnet model through node 0 (its gateway routes to the serving nodes):");
            output.WriteLine(DevnetReport.Curl(manifest.Nodes[0], model));
            output.WriteLine();
        }
        output.WriteLine($"Dashboard: {manifest.Nodes[0].DashboardUrl}   Status: p2pd devnet status --dir {directory}   Stop and remove: p2pd devnet down --dir {directory}");
        if (!options.Foreground) return 0;

        output.WriteLine("running in the foreground: Ctrl-C stops the devnet (its data is kept)");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
        }
        catch (OperationCanceledException)
        {
        }
        await DevnetProcesses.StopAsync(manifest.Nodes, output);
        output.WriteLine($"stopped; 'p2pd devnet up --dir {directory}' restarts it, 'p2pd devnet down --dir {directory}' removes it");
        return 0;
    }

    private DevnetManifest Create(string directory, DevnetUpOptions options)
    {
        CreatePrivateDirectory(directory);
        var genesis = GenesisConfig.Devnet(time.GetUtcNow().ToUnixTimeSeconds());
        var genesisFile = Path.Combine(directory, GenesisFileName);
        File.WriteAllText(genesisFile, genesis.ToJson() + "\n");
        var model = DevnetModel.SpecOf(genesis);
        var ports = DevnetPorts.Take(2 * options.Nodes);
        int serving = options.ServingNodes;
        var nodes = new List<DevnetNode>();
        for (int i = 0; i < options.Nodes; i++)
        {
            var data = new DataDirectory(Path.Combine(directory, $"node-{i}"));
            CreatePrivateDirectory(data.Path);
            // The token before the key, as 'p2pd init' does; 'run --init' then finds a complete directory.
            ApiToken.Generate().Write(data.ApiTokenFile, overwrite: false);
            var key = Ed25519PrivateKey.Generate();
            NodeKeyFile.Save(data.NodeKeyFile, key);
            bool serves = options.Nodes == 1 || (i >= 1 && i <= serving);
            nodes.Add(new DevnetNode(i, data.Path, ports[2 * i], ports[2 * i + 1], key.PeerId.ToString(), serves));
        }
        var manifest = new DevnetManifest(directory, Hashing.Hex(genesis.ChainId), genesisFile, model, nodes);
        manifest.Save();
        output.WriteLine($"new devnet in {directory}: chain {manifest.ChainId[..16]}…, {options.Nodes} miners, model {model ?? "(none)"} served by {serving}");
        return manifest;
    }

    private async Task<bool> WaitUntilReadyAsync(DevnetManifest manifest, TimeSpan bound, CancellationToken cancellation)
    {
        using var probe = new DevnetProbe();
        var gateway = manifest.Nodes[0];
        int servers = manifest.Nodes.Count(n => n.Serves && n.Index != 0);
        var clock = Stopwatch.StartNew();
        string last = "";
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (manifest.Nodes.FirstOrDefault(n => DevnetProcesses.RunningPid(n) is null) is { } dead)
            {
                error.WriteLine($"p2pd: node {dead.Name} exited during start-up; the end of {dead.LogFile}:");
                foreach (var line in DevnetReport.Tail(dead.LogFile, 20)) error.WriteLine("  " + line);
                return false;
            }
            int up = 0;
            foreach (var node in manifest.Nodes)
            {
                if (await probe.GetAsync(node, "healthz", cancellation) is not null) up++;
            }
            ulong? height = await probe.HeightAsync(gateway, cancellation);
            int seen = manifest.ModelSpec is { } model && servers > 0 ? await probe.ServersSeenAsync(gateway, model, cancellation) : 0;
            bool ready = up == manifest.Nodes.Count && height >= 1 && (servers == 0 || seen >= 1);
            var state = $"{up}/{manifest.Nodes.Count} nodes up, head {height?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, " +
                        (servers == 0 ? "no model servers" : $"node 0 routes to {seen}/{servers} model servers");
            if (state != last) output.WriteLine($"  [{clock.Elapsed.TotalSeconds,3:F0} s] {state}");
            last = state;
            if (ready) return true;
            if (clock.Elapsed > bound)
            {
                error.WriteLine($"p2pd: the devnet was not ready within {bound.TotalSeconds:F0} s ({state}); logs: p2pd devnet logs --dir {manifest.Directory}");
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
        }
    }

    private static async Task<IReadOnlyDictionary<int, ulong?>> ReadHeadsAsync(DevnetManifest manifest)
    {
        using var probe = new DevnetProbe();
        var heights = new Dictionary<int, ulong?>();
        foreach (var node in manifest.Nodes) heights[node.Index] = await probe.HeightAsync(node, CancellationToken.None);
        return heights;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
