using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Devnet;

/// <summary>A devnet brought up by a real <c>p2pd devnet up</c> in a temporary directory, brought down (and checked gone) on dispose.</summary>
public sealed class DevnetRun : IAsyncDisposable
{
    /// <summary>Start-up waits for the first block on a loaded 2-core machine; <c>up</c>'s own bound is below the process's.</summary>
    private const int UpTimeoutSeconds = 170;

    private readonly TempDirectory _temp;

    private DevnetRun(TempDirectory temp, string directory, string output)
    {
        _temp = temp;
        Directory = directory;
        UpOutput = output;
        Manifest = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(directory, "devnet.json"))).RootElement.Clone();
    }

    public string Directory { get; }

    public string UpOutput { get; }

    public JsonElement Manifest { get; }

    public IReadOnlyList<JsonElement> Nodes => Manifest.GetProperty("nodes").EnumerateArray().ToArray();

    public Uri ApiUrl(int node) => new($"http://127.0.0.1:{Nodes[node].GetProperty("apiPort").GetInt32()}/");

    public IEnumerable<int> Pids() => Nodes.Select(n => File.ReadAllText(System.IO.Path.Combine(n.GetProperty("dataDirectory").GetString()!, "p2pd.pid")).Split(' ')[0].Trim()).Select(int.Parse);

    public static async Task<DevnetRun> UpAsync(int nodes, params string[] extra)
    {
        var temp = new TempDirectory();
        var directory = temp.Sub("devnet");
        var up = await DaemonProcess.RunToExitAsync(["devnet", "up", "--nodes", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", directory, "--timeout", UpTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra], timeoutSeconds: UpTimeoutSeconds + 30);
        if (!up.HasExited || up.ExitCode != 0)
        {
            await CommandAsync("down", directory);
            temp.Dispose();
            throw new InvalidOperationException($"devnet up failed ({(up.HasExited ? up.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running")}):\n{up.StandardOutput}\n{up.StandardError}");
        }
        return new DevnetRun(temp, directory, up.StandardOutput);
    }

    public static Task<DaemonProcess> CommandAsync(string command, string directory, params string[] extra) =>
        DaemonProcess.RunToExitAsync(["devnet", command, "--dir", directory, .. extra], timeoutSeconds: 60);

    public async ValueTask DisposeAsync()
    {
        await CommandAsync("down", Directory);
        _temp.Dispose();
    }
}
