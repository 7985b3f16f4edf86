using System.CommandLine;
using System.Text;
using P2P.Storage;

namespace P2P.Daemon.Cli;

/// <summary>
/// Hidden diagnostic <c>p2pd diag-storage-crash</c>: writes one synced batch, says so on stdout, then waits to be killed.
/// The crash-consistency test kills it with SIGKILL and checks the batch survived.
/// </summary>
public static class StorageCrashCommand
{
    public static Command Create()
    {
        var path = new Option<string>("--db") { Description = "LevelDB directory", Required = true };
        var records = new Option<int>("--records") { Description = "Records in the synced batch", DefaultValueFactory = _ => 1000 };
        var command = new Command("diag-storage-crash", "Write a synced batch and wait to be killed (crash-consistency test)") { Hidden = true };
        command.Options.Add(path);
        command.Options.Add(records);
        command.SetAction(async (result, cancellation) =>
        {
            var count = result.GetValue(records);
            using var database = LevelDatabase.Open(result.GetValue(path)!);
            using (var batch = new LevelDbWriteBatch())
            {
                for (var i = 0; i < count; i++) batch.Put(Key(i), Value(i));
                batch.Put("crash/count"u8, Encoding.ASCII.GetBytes(count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                database.Write(batch, sync: true);
            }
            // Unsynced writes after the synced batch may or may not survive; they must never break it.
            for (var i = 0; i < 100; i++) database.Put(Encoding.ASCII.GetBytes($"later/{i:D6}"), new byte[512]);
            await result.InvocationConfiguration.Output.WriteLineAsync($"synced {count}");
            await result.InvocationConfiguration.Output.FlushAsync(cancellation);
            await Task.Delay(TimeSpan.FromSeconds(60), cancellation);
            return ExitCodes.Success;
        });
        return command;
    }

    public static byte[] Key(int index) => Encoding.ASCII.GetBytes($"crash/{index:D6}");

    public static byte[] Value(int index) => Encoding.ASCII.GetBytes($"value-{index}-{new string('x', index % 97)}");
}
