using System.Net;
using System.Net.Http.Headers;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Running;

public sealed class DaemonLifecycleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string InitDataDirectory()
    {
        var dataDirectory = _temp.Sub("data");
        Assert.Equal(0, InitCommand.Run(dataDirectory, force: false, new StringWriter(), new StringWriter()));
        return dataDirectory;
    }

    [Fact]
    public async Task UnderSystemd_SendsReadyThenStatusAndWatchdogPings_ThenSigtermSendsStoppingAndExitsZeroWithinTheTimeout()
    {
        var dataDirectory = InitDataDirectory();
        var port = FreePort.Next();
        using var notify = new NotifySocket(_temp.Sub("notify.sock"));
        await using var daemon = DaemonProcess.Start(
            ["run", "--data-dir", dataDirectory, $"--Api:Port={port}", "--Host:ShutdownTimeoutSeconds=5"],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path, ["WATCHDOG_USEC"] = "400000", ["JOURNAL_STREAM"] = "8:12345" });

        var beforeReady = await notify.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(beforeReady, d => d.Contains("STOPPING=1", StringComparison.Ordinal) || d.Contains("WATCHDOG=1", StringComparison.Ordinal));
        // READY is sent once the API listens.
        using (var http = new HttpClient())
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).StatusCode);
        // Then the node's status line (no chain configured here), then a ping every 200 ms (half of WATCHDOG_USEC).
        var status = await notify.ReceiveUntilAsync("WATCHDOG=1", TimeSpan.FromSeconds(10));
        Assert.Contains(status, d => d.StartsWith("STATUS=peers 0, no chain configured", StringComparison.Ordinal));
        Assert.True(status.FindIndex(d => d.StartsWith("STATUS=peers", StringComparison.Ordinal)) < status.FindIndex(d => d == "WATCHDOG=1"));
        await notify.ReceiveUntilAsync("WATCHDOG=1", TimeSpan.FromSeconds(10));

        daemon.Signal(Posix.SigTerm);
        var afterTerm = await notify.ReceiveUntilAsync("STOPPING=1", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(afterTerm, d => d.Contains("READY=1", StringComparison.Ordinal));
        Assert.True(await daemon.WaitForExitAsync(TimeSpan.FromSeconds(5 + 5)), "p2pd did not exit within the shutdown timeout");
        Assert.Equal(0, daemon.ExitCode);
        // JOURNAL_STREAM selects the systemd console format: "<6>category[event] message".
        Assert.Matches(@"(?m)^<6>P2P\.Daemon\.Hosting\.StartupLogService\[0\] p2pd .* started", daemon.StandardOutput);
    }

    [SigintFact]
    public async Task Sigint_WithAbstractNotifySocket_StopsWithExitCodeZero()
    {
        var dataDirectory = InitDataDirectory();
        var port = FreePort.Next();
        using var notify = new NotifySocket("@p2pd-test-" + Guid.NewGuid().ToString("N"));
        await using var daemon = DaemonProcess.Start(["run", "--data-dir", dataDirectory, $"--Api:Port={port}"],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(60));

        daemon.Signal(Posix.SigInt);
        await notify.ReceiveUntilAsync("STOPPING=1", TimeSpan.FromSeconds(10));
        Assert.True(await daemon.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, daemon.ExitCode);
        Assert.Matches(@"(?m)^\d{4}-\d\d-\d\dT[\d:.]+Z info: P2P\.Daemon\.Hosting\.StartupLogService\[0\] p2pd .* started", daemon.StandardOutput);
    }

    [Fact]
    public async Task RunWithInit_OnAnEmptyDirectory_Initialises_AndTheShutdownEndpointWithTheTokenStopsItWithExitCodeZero()
    {
        var dataDirectory = _temp.Sub("fresh");
        var port = FreePort.Next();
        await using var daemon = DaemonProcess.Start(["run", "--init", "--data-dir", dataDirectory, $"--Api:Port={port}"]);
        await daemon.WaitUntilHealthyAsync(port);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "node.key")));
        Assert.True(File.Exists(Path.Combine(dataDirectory, "p2pd.json")));

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/api/v1/shutdown");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(dataDirectory, "api.token")).Trim());
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        Assert.True(await daemon.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, daemon.ExitCode);
    }

    public void Dispose() => _temp.Dispose();
}
