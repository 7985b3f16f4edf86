using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using P2P.Storage;

namespace P2P.Daemon.Storage;

/// <summary>The meter <c>P2P.Daemon.Storage</c>: the LevelDB database's size on disk, measured when scraped.</summary>
public sealed class StorageMetrics(LevelDatabase database, IMeterFactory meters) : IHostedService
{
    public const string MeterName = "P2P.Daemon.Storage";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("p2p.storage.size", () => DirectorySize(database.Path), "By", "Bytes of the LevelDB database directory on disk");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Sums the files of a LevelDB directory; compaction deletes files while we look, and a vanished file counts 0.</summary>
    public static long DirectorySize(string path)
    {
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(path).EnumerateFiles())
            {
                try
                {
                    total += file.Length;
                }
                catch (FileNotFoundException)
                {
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
        return total;
    }
}
