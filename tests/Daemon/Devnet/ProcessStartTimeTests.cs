using System.Diagnostics;
using P2P.Daemon.Devnet;
using P2P.Testing;

namespace P2P.Daemon.Tests.Devnet;

public sealed class ProcessStartTimeTests
{
    [Fact]
    public async Task StartTime_SurvivesExecAndVanishesWithTheProcess()
    {
        // The devnet launcher's shell execs setsid and then p2pd under the pid it wrote; the start time must not change
        // across those execs (the command line briefly does), and must be gone once the process has exited.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("read line; exec sleep 30");
        info.RedirectStandardInput = true;
        using var process = Process.Start(info)!;
        try
        {
            var before = ProcessStartTime.Of(process.Id);
            Assert.NotNull(before);
            await process.StandardInput.WriteLineAsync("go");
            await process.StandardInput.FlushAsync();
            Assert.True(await Wait.UntilAsync(() => File.ReadAllText($"/proc/{process.Id}/cmdline").StartsWith("sleep", StringComparison.Ordinal), TimeSpan.FromSeconds(20)));
            Assert.Equal(before, ProcessStartTime.Of(process.Id));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        Assert.Null(ProcessStartTime.Of(process.Id));
        Assert.NotNull(ProcessStartTime.Of(Environment.ProcessId));
    }
}
