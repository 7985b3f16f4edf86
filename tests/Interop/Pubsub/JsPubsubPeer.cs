using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2P.Interop.Tests.Pubsub;

/// <summary>A js-libp2p gossipsub node (tests/Interop/Pubsub/js/pubsub-peer.mjs) run by the Node 22 binary and driven over JSON lines.</summary>
public sealed class JsPubsubPeer : IAsyncDisposable
{
    private static readonly Lazy<(string? Node, string? Modules, string? Script, string? Reason)> Environment = new(Locate);

    private readonly Process _process;
    private readonly string _workDir;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly TaskCompletionSource<JsonObject> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;
    private int _nextId;

    private JsPubsubPeer(Process process, string workDir)
    {
        _process = process;
        _workDir = workDir;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Why js peers cannot run here, or null when they can.</summary>
    public static string? Unavailable => Environment.Value.Reason;

    public string PeerId { get; private set; } = "";

    public string Address { get; private set; } = "";

    /// <summary>Payloads received, as UTF-8 text, with the number of times each arrived.</summary>
    public ConcurrentDictionary<string, int> Received { get; } = new();

    /// <summary>Every message received, in arrival order, with its raw bytes (binary payloads such as blocks).</summary>
    public ConcurrentQueue<(string Topic, byte[] Data)> Messages { get; } = new();

    public static async Task<JsPubsubPeer> StartAsync(object? config = null)
    {
        var (node, modules, script, reason) = Environment.Value;
        if (reason is not null)
        {
            throw new InvalidOperationException(reason);
        }
        // The script must resolve its npm packages: run it from a scratch folder beside a link to node_modules.
        var workDir = Directory.CreateTempSubdirectory("p2p-js-peer-").FullName;
        File.Copy(script!, Path.Combine(workDir, "pubsub-peer.mjs"));
        File.CreateSymbolicLink(Path.Combine(workDir, "node_modules"), modules!);
        var start = new ProcessStartInfo(node!)
        {
            WorkingDirectory = workDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pubsub-peer.mjs");
        start.ArgumentList.Add(JsonSerializer.Serialize(config ?? new { }));
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var peer = new JsPubsubPeer(process, workDir);
        var ready = await peer._ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        peer.PeerId = ready["peerId"]!.GetValue<string>();
        peer.Address = ready["addrs"]![0]!.GetValue<string>();
        return peer;
    }

    public async Task<JsonObject> CallAsync(string command, object? arguments = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = arguments is null ? new JsonObject() : JsonSerializer.SerializeToNode(arguments)!.AsObject();
        request["id"] = id;
        request["cmd"] = command;
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        await _process.StandardInput.WriteLineAsync(request.ToJsonString());
        await _process.StandardInput.FlushAsync();
        var reply = await answer.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (reply["error"] is { } error)
        {
            throw new InvalidOperationException($"js {command}: {error}");
        }
        return reply;
    }

    public Task DialAsync(string address) => CallAsync("dial", new { addr = address });

    public Task SubscribeAsync(string topic) => CallAsync("subscribe", new { topic });

    public async Task<int> PublishAsync(string topic, string text) =>
        (await CallAsync("publish", new { topic, data = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)) }))["recipients"]!.GetValue<int>();

    public async Task<IReadOnlyList<string>> MeshAsync(string topic) =>
        (await CallAsync("mesh", new { topic }))["peers"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();

    public async Task<IReadOnlyList<string>> TopicPeersAsync(string topic) =>
        (await CallAsync("topicPeers", new { topic }))["peers"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();

    public async Task<IReadOnlyList<string>> ClosestPeersAsync(byte[] key) =>
        (await CallAsync("closestPeers", new { key = Convert.ToBase64String(key) }))["peers"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();

    public async Task<int> RoutingTableSizeAsync() => (await CallAsync("routingTable"))["size"]!.GetValue<int>();

    public async Task<IReadOnlyDictionary<string, double>> ScoresAsync() =>
        (await CallAsync("scores"))["scores"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>());

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception)
        {
            _process.Kill();
        }
        await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _process.Dispose();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task ReadLoopAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            JsonObject message;
            try
            {
                message = JsonNode.Parse(line)!.AsObject();
            }
            catch (JsonException)
            {
                continue;
            }
            if (message["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var answer))
            {
                answer.TrySetResult(message);
            }
            else if (message["event"]?.GetValue<string>() == "ready")
            {
                _ready.TrySetResult(message);
            }
            else if (message["event"]?.GetValue<string>() == "message")
            {
                var data = Convert.FromBase64String(message["data"]!.GetValue<string>());
                Messages.Enqueue((message["topic"]!.GetValue<string>(), data));
                var text = System.Text.Encoding.UTF8.GetString(data);
                Received.AddOrUpdate(text, 1, (_, n) => n + 1);
            }
        }
        _ready.TrySetException(new InvalidOperationException("js peer exited before it was ready"));
    }

    private static (string?, string?, string?, string?) Locate()
    {
        var jsDir = System.Environment.GetEnvironmentVariable("P2P_INTEROP_JS") ?? P2P.Interop.JsPeer.FindJsDirectory();
        if (jsDir is null)
        {
            return (null, null, null, "js-libp2p peers not installed (run tests/Interop/js/setup.sh; needs npm)");
        }
        var modules = Path.Combine(jsDir, "node_modules");
        var node = P2P.Interop.JsPeer.NodePath(jsDir);
        var script = FindScript("pubsub-peer.mjs");
        if (!File.Exists(node) || !Directory.Exists(Path.Combine(modules, "@libp2p", "gossipsub")))
        {
            return (null, null, null, $"js-libp2p packages not installed under {jsDir} (run tests/Interop/js/setup.sh)");
        }
        return script is not null ? (node, modules, script, null) : (null, null, null, "tests/Interop/Pubsub/js/pubsub-peer.mjs not found");
    }

    /// <summary>A script of tests/Interop/Pubsub/js, found by walking up from the test assembly.</summary>
    public static string? FindScript(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Interop", "Pubsub", "js", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
