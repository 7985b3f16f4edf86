using System.Net;
using System.Net.Sockets;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Running;

/// <summary>A port someone else holds makes <c>p2pd run</c> exit 1 with one line naming the setting, not a stack trace.</summary>
public sealed class PortInUseTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _dataDirectory;
    private readonly TcpListener _holder = new(IPAddress.Loopback, 0);

    public PortInUseTests()
    {
        _dataDirectory = _temp.Sub("data");
        Assert.Equal(0, InitCommand.Run(_dataDirectory, force: false, new StringWriter(), new StringWriter()));
        _holder.Start();
    }

    private int HeldPort => ((IPEndPoint)_holder.LocalEndpoint).Port;

    [Fact]
    public async Task ApiPortInUse_Exits1NamingApiPort()
    {
        await using var daemon = await DaemonProcess.RunToExitAsync(
            ["run", "--data-dir", _dataDirectory, $"--Api:Port={HeldPort}", "--Network:ListenAddresses:0=/ip4/127.0.0.1/tcp/0"]);
        Assert.Equal(ExitCodes.Failure, daemon.ExitCode);
        var line = Assert.Single(daemon.StandardError.Trim().Split('\n'));
        Assert.Equal($"p2pd: the HTTP API cannot listen on 127.0.0.1:{HeldPort}: the port is in use (another p2pd? set Api:Port)", line);
        Assert.DoesNotContain("   at ", daemon.StandardOutput);
    }

    [Fact]
    public async Task Libp2pPortInUse_Exits1NamingListenAddresses()
    {
        var listen = $"/ip4/127.0.0.1/tcp/{HeldPort}";
        await using var daemon = await DaemonProcess.RunToExitAsync(
            ["run", "--data-dir", _dataDirectory, $"--Api:Port={FreePort.Next()}", $"--Network:ListenAddresses:0={listen}"]);
        Assert.Equal(ExitCodes.Failure, daemon.ExitCode);
        var line = Assert.Single(daemon.StandardError.Trim().Split('\n'));
        Assert.StartsWith($"p2pd: libp2p cannot listen on {listen} (Network:ListenAddresses): ", line);
        Assert.DoesNotContain("   at ", daemon.StandardOutput);
    }

    public void Dispose()
    {
        _holder.Stop();
        _temp.Dispose();
    }
}
