using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;
using P2P.Storage;

namespace P2P.Daemon.Tests.Running;

public sealed class StorageCrashTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task ProcessKilledWithSigkill_RightAfterASyncedBatch_LeavesTheWholeBatchReadable()
    {
        const int records = 2000;
        var path = _temp.Sub("db");
        await using (var child = DaemonProcess.Start(["diag-storage-crash", "--db", path, "--records", records.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await child.WaitForOutputAsync($"synced {records}", TimeSpan.FromSeconds(60));
            child.Signal(Posix.SigKill);
            Assert.True(await child.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(128 + Posix.SigKill, child.ExitCode);
        }

        using var database = LevelDatabase.Open(path, new LevelDbOptions { CreateIfMissing = false, ParanoidChecks = true });
        Assert.Equal("2000"u8.ToArray(), database.Get("crash/count"u8));
        for (var i = 0; i < records; i++) Assert.Equal(StorageCrashCommand.Value(i), database.Get(StorageCrashCommand.Key(i)));
        Assert.Equal(records + 1, database.ScanPrefix("crash/"u8.ToArray()).Count());
    }

    public void Dispose() => _temp.Dispose();
}
