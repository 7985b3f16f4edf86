using System.Diagnostics;
using System.Text.RegularExpressions;
using P2P.Daemon.Tests.Support;
using P2P.Networking.Identity;
using Xunit.Abstractions;

namespace P2P.Daemon.Tests.Hardening;

/// <summary>
/// Issue 11, acceptance 1: <c>p2pd run --init</c> killed with SIGKILL at any moment of its start-up never leaves a
/// dead end: the next <c>run --init</c> starts, with the same peer id when the key had been written.
/// </summary>
public sealed partial class InitCrashTests(ITestOutputHelper log)
{
    private const int Kills = 50;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunInit_KilledAtFiftyMomentsOfItsStartUp_AlwaysStartsAgain_KeepingAWrittenKey()
    {
        using var temp = new TempDirectory();
        var startUp = await MeasureStartUpAsync(temp.Sub("measure"));
        log.WriteLine($"run --init answers /healthz after {startUp.TotalMilliseconds:0} ms; killing at {Kills} moments from 0 to that");

        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < Kills; i++)
        {
            var moment = startUp * i / (Kills - 1);
            var data = temp.Sub($"kill-{i:00}");
            await using (var victim = DaemonProcess.Start(RunInit(data, FreePort.Next())))
            {
                var started = Stopwatch.StartNew();
                var wait = moment - started.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                if (!victim.HasExited) victim.Signal(Posix.SigKill);
                Assert.True(await victim.WaitForExitAsync(TimeSpan.FromSeconds(10)), $"kill {i}: the process did not die");
            }

            var keyFile = Path.Combine(data, "node.key");
            var writtenPeer = File.Exists(keyFile) ? NodeKeyFile.Load(keyFile).PeerId.ToString() : null;
            var state = writtenPeer is null ? "no key yet" : File.Exists(Path.Combine(data, "api.token")) ? "key and token" : "key without token";
            outcomes[state] = outcomes.GetValueOrDefault(state) + 1;

            await using var next = DaemonProcess.Start(RunInit(data, FreePort.Next()));
            await next.WaitForOutputAsync("started: peer id", StartLimit);
            var startedPeer = StartedPeerId().Match(next.StandardOutput).Groups[1].Value;
            if (writtenPeer is not null) Assert.True(writtenPeer == startedPeer, $"kill {i} at {moment.TotalMilliseconds:0} ms: key had {writtenPeer}, the restart runs as {startedPeer}");
            Assert.Equal(NodeKeyFile.Load(keyFile).PeerId.ToString(), startedPeer);
            next.Signal(Posix.SigKill);
        }
        log.WriteLine("state after the kill: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Value} × {o.Key}")));
    }

    [Fact]
    public async Task RunInit_OnAKeyWithoutToken_RepairsTheDirectory_AndKeepsThePeerId()
    {
        using var temp = new TempDirectory();
        var data = temp.Sub("data");
        Assert.Equal(0, P2P.Daemon.Cli.InitCommand.Run(data, force: false, new StringWriter(), new StringWriter()));
        var peer = NodeKeyFile.Load(Path.Combine(data, "node.key")).PeerId.ToString();
        File.Delete(Path.Combine(data, "api.token"));

        await using var daemon = DaemonProcess.Start(RunInit(data, FreePort.Next()));
        await daemon.WaitForOutputAsync("started: peer id", StartLimit);
        Assert.Equal(peer, StartedPeerId().Match(daemon.StandardOutput).Groups[1].Value);
        Assert.Contains("repaired", daemon.StandardOutput);
        Assert.True(File.Exists(Path.Combine(data, "api.token")));
    }

    private static string[] RunInit(string data, int port) => ["run", "--init", "--data-dir", data, $"--Api:Port={port}"];

    private static async Task<TimeSpan> MeasureStartUpAsync(string data)
    {
        var port = FreePort.Next();
        var clock = Stopwatch.StartNew();
        await using var daemon = DaemonProcess.Start(RunInit(data, port));
        await daemon.WaitUntilHealthyAsync(port, StartLimit);
        return clock.Elapsed;
    }

    [GeneratedRegex(@"started: peer id (\S+?),")]
    private static partial Regex StartedPeerId();
}
