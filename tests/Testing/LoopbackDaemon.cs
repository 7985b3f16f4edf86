using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace P2P.Testing;

/// <summary>
/// A <c>p2pd run --init</c> child process for benchmarks: its own data directory, a free API port, libp2p on a free
/// loopback port, 200 ms pubsub heartbeats; <c>p2pd.dll</c> must sit next to the caller (a project reference to the daemon).
/// </summary>
public sealed class LoopbackDaemon : IAsyncDisposable
{
    private readonly Process _process;

    private LoopbackDaemon(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(5) };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>Starts the daemon (joining <paramref name="bootstrap"/> when given) and waits up to a minute for <c>/healthz</c>.</summary>
    public static async Task<LoopbackDaemon> StartAsync(string dataDirectory, string? bootstrap, params string[] arguments)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] all = [Path.Combine(AppContext.BaseDirectory, "p2pd.dll"), "run", "--init", "--data-dir", dataDirectory, $"--Api:Port={port}",
            "--Network:ListenAddresses:0=/ip4/127.0.0.1/tcp/0", "--Pubsub:HeartbeatIntervalMs=200", .. arguments];
        foreach (var a in all) info.ArgumentList.Add(a);
        if (bootstrap is not null) info.ArgumentList.Add($"--Network:BootstrapPeers:0={bootstrap}");
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new LoopbackDaemon(process, port);
        var healthy = await Wait.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"p2pd exited with {process.ExitCode}");
            try
            {
                return (await node.Http.GetAsync("healthz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60));
        return healthy ? node : throw new TimeoutException("p2pd did not become healthy");
    }

    /// <summary>The first libp2p listen address with <c>/p2p/&lt;peer id&gt;</c>, for other nodes to bootstrap from.</summary>
    public async Task<string> AddressAsync() => (await GetAsync("api/v1/network")).GetProperty("listenAddresses")[0].GetString()!;

    public async Task<JsonElement> GetAsync(string path) => await Http.GetFromJsonAsync<JsonElement>(path);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
