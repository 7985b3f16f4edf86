using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace P2P.Bench.Gateway;

/// <summary>A <c>p2pd run</c> child process on loopback with its own data directory.</summary>
public sealed class DevnetNode : IAsyncDisposable
{
    private readonly Process _process;

    private DevnetNode(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(5) };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public static async Task<DevnetNode> StartAsync(string dataDirectory, string? bootstrap, params string[] arguments)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] all = [Path.Combine(AppContext.BaseDirectory, "p2pd.dll"), "run", "--init", "--data-dir", dataDirectory, $"--Api:Port={port}",
            "--Network:ListenAddresses:0=/ip4/127.0.0.1/tcp/0", "--Inference:AdvertIntervalSeconds=1", "--Pubsub:HeartbeatIntervalMs=200", .. arguments];
        foreach (var a in all) info.ArgumentList.Add(a);
        if (bootstrap is not null) info.ArgumentList.Add($"--Network:BootstrapPeers:0={bootstrap}");
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new DevnetNode(process, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"p2pd exited with {process.ExitCode}");
            try
            {
                if ((await node.Http.GetAsync("healthz")).IsSuccessStatusCode) return node;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("p2pd did not become healthy");
            await Task.Delay(100);
        }
    }

    public async Task<string> AddressAsync() => (await Http.GetFromJsonAsync<JsonElement>("api/v1/network")).GetProperty("listenAddresses")[0].GetString()!;

    public async Task WaitForAdvertsAsync(Func<JsonElement, bool> ready)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!ready(await Http.GetFromJsonAsync<JsonElement>("api/v1/inference/directory")))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("adverts did not arrive");
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

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
