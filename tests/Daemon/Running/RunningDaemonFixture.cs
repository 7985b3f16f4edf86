using P2P.Daemon.Cli;
using P2P.Daemon.Configuration;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Running;

/// <summary>One initialised data directory and one <c>p2pd run</c> child process shared by a test class.</summary>
public sealed class RunningDaemonFixture : IAsyncLifetime
{
    public TempDirectory Directory { get; } = new();
    public int Port { get; } = FreePort.Next();
    public DaemonProcess Daemon { get; private set; } = null!;
    public string Token { get; private set; } = "";
    public string PeerId { get; private set; } = "";
    public string DataDirectory => Directory.Sub("data");

    public async Task InitializeAsync()
    {
        var output = new StringWriter();
        Assert.Equal(0, InitCommand.Run(DataDirectory, force: false, output, new StringWriter()));
        PeerId = output.ToString().Split('\n').Single(l => l.Contains("peer id", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        Token = File.ReadAllText(Path.Combine(DataDirectory, "api.token")).Trim();
        Daemon = DaemonProcess.Start(["run", "--data-dir", DataDirectory, $"--Api:Port={Port}"]);
        await Daemon.WaitUntilHealthyAsync(Port);
    }

    public async Task DisposeAsync()
    {
        if (!Daemon.HasExited)
        {
            Daemon.Signal(Posix.SigTerm);
            await Daemon.WaitForExitAsync(TimeSpan.FromSeconds(20));
        }
        await Daemon.DisposeAsync();
        Directory.Dispose();
    }
}
