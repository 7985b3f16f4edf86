using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Inference;

/// <summary>Real <c>p2pd run</c> processes on loopback for the inference-network tests: a first node others bootstrap to.</summary>
public sealed class InferenceNodes : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<Node> _nodes = [];
    private string? _bootstrap;

    public sealed record Node(string Name, string PeerId, int Port, DaemonProcess Process, HttpClient Http);

    public static string Model => Stories260kFactAttribute.ModelDirectory!;

    /// <summary>Starts a node with extra arguments (models, layers) and waits until it is healthy.</summary>
    public async Task<Node> StartAsync(string name, params string[] arguments)
    {
        var dataDirectory = _temp.Sub(name);
        var output = new StringWriter();
        Assert.Equal(0, InitCommand.Run(dataDirectory, force: false, output, new StringWriter()));
        var peerId = output.ToString().Split('\n').Single(l => l.Contains("peer id", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        var port = FreePort.Next();
        string[] common = ["run", "--data-dir", dataDirectory, $"--Api:Port={port}", "--Inference:AdvertIntervalSeconds=1", "--Inference:ExecutorTimeoutSeconds=5",
            "--Inference:RequestTimeoutSeconds=40", "--Pubsub:HeartbeatIntervalMs=200", "--Inference:Threads=1"];
        string[] boot = _bootstrap is null ? [] : [$"--Network:BootstrapPeers:0={_bootstrap}"];
        // A setting given in the arguments replaces the common one: the daemon refuses a key given twice.
        var overridden = arguments.Select(KeyOf).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var process = DaemonProcess.Start([.. common.Where(c => !overridden.Contains(KeyOf(c))), .. boot, .. arguments]);
        await process.WaitUntilHealthyAsync(port);
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        if (_bootstrap is null)
            _bootstrap = (await http.GetFromJsonAsync<JsonElement>("api/v1/network")).GetProperty("listenAddresses")[0].GetString();
        var node = new Node(name, peerId, port, process, http);
        _nodes.Add(node);
        return node;
    }

    private static string KeyOf(string argument) => argument.Split('=')[0];

    public static string[] Serving(string layers = "all", string? model = null) =>
        ["--Inference:Enabled=true", $"--Inference:Models:0:Model={model ?? Model}", $"--Inference:Models:0:Layers={layers}"];

    /// <summary>Polls the gateway's directory until it lists <paramref name="count"/> adverts.</summary>
    public static async Task WaitForAdvertsAsync(Node gateway, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (true)
        {
            var directory = await gateway.Http.GetFromJsonAsync<JsonElement>("api/v1/inference/directory");
            if (directory.GetProperty("adverts").GetArrayLength() >= count) return;
            Assert.True(DateTime.UtcNow < deadline, $"{gateway.Name} sees {directory} after 40 s, expected {count} adverts");
            await Task.Delay(100);
        }
    }

    /// <summary>Runs <c>p2pd infer --json</c> locally (deterministic) and returns its output.</summary>
    public static async Task<JsonElement> InferLocallyAsync(string model, int[] prompt, int maxTokens, float temperature, ulong seed, int logprobs)
    {
        await using var infer = await DaemonProcess.RunToExitAsync(["infer", "--model", model, "--prompt-ids", string.Join(",", prompt), "--max-tokens", maxTokens.ToString(),
            "--temperature", temperature.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(), "--deterministic", "--threads", "1", "--json",
            "--logprobs", logprobs.ToString()]);
        Assert.True(infer.ExitCode == 0, infer.StandardError);
        return JsonDocument.Parse(infer.StandardOutput.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Http.Dispose();
            await node.Process.DisposeAsync();
        }
        _temp.Dispose();
    }
}
