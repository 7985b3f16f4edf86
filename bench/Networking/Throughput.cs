using System.Diagnostics;
using P2P.Interop;
using P2P.Networking.Core;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Multiformats;

namespace P2P.Bench.Networking;

/// <summary>One-stream upload into a sink protocol that answers with the byte count once the sender half-closes.</summary>
internal static class Throughput
{
    private const string Sink = "/p2pd/sink/1";

    /// <summary>After the warm-up, time for the JIT's background recompilation of the hot path (.NET tiering, V8 tier-up), so it does not run inside the measurement.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    /// <summary>CPU seconds (both hosts are in this process) used by the last C#→C# run.</summary>
    public static double LastCpuSeconds { get; private set; }

    /// <summary>Print per-run CPU, cores busy and allocations.</summary>
    public static bool Verbose { get; set; }

    public static async Task<double> CsharpToCsharpAsync(long size)
    {
        await using var receiver = await StartAsync();
        await using var sender = await StartAsync();
        await sender.DialAsync(receiver.ListenAddresses[0].WithPeerId(receiver.LocalPeerId));
        await UploadAsync(sender, receiver.LocalPeerId, 32 << 20); // warm-up: JIT, window growth
        await Task.Delay(Settle);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var collections = GC.CollectionCount(0);
        var threads = Verbose ? ThreadCpu.Snapshot() : [];
        var watch = Stopwatch.StartNew();
        await UploadAsync(sender, receiver.LocalPeerId, size);
        var seconds = watch.Elapsed.TotalSeconds;
        LastCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        if (Verbose)
        {
            Console.WriteLine($"  run: {size / seconds / (1 << 20):F0} MiB/s, CPU {LastCpuSeconds:F2} s, {LastCpuSeconds / seconds:F2} cores busy, " +
                $"{(GC.GetTotalAllocatedBytes(precise: false) - allocated) >> 10} KiB allocated, {GC.CollectionCount(0) - collections} gen0 GCs");
            Console.WriteLine($"  threads: {ThreadCpu.Busiest(threads, ThreadCpu.Snapshot())}");
        }
        return size / seconds / (1 << 20);
    }

    public static async Task<double> CsharpToJsAsync(long size)
    {
        await using var js = await JsPeer.StartAsync();
        await using var sender = await StartAsync();
        var connection = await sender.DialAsync(Multiaddr.Parse(js.Addresses[0]));
        await UploadAsync(sender, connection.RemotePeer, 32 << 20);
        await Task.Delay(Settle);
        var watch = Stopwatch.StartNew();
        await UploadAsync(sender, connection.RemotePeer, size);
        return size / watch.Elapsed.TotalSeconds / (1 << 20);
    }

    /// <summary>CPU seconds of both node processes in the last js→js run.</summary>
    public static double LastJsCpuSeconds { get; private set; }

    public static async Task<double> JsToJsAsync(long size)
    {
        await using var receiver = await JsPeer.StartAsync();
        await using var sender = await JsPeer.StartAsync();
        await sender.CallAsync("dial", new { addr = receiver.Addresses[0] });
        await sender.CallAsync("bench", new { peer = receiver.PeerId, size = 32 << 20 }, TimeSpan.FromMinutes(5));
        await Task.Delay(Settle);
        var cpu = sender.TotalProcessorTime + receiver.TotalProcessorTime;
        var reply = await sender.CallAsync("bench", new { peer = receiver.PeerId, size }, TimeSpan.FromMinutes(10));
        LastJsCpuSeconds = (sender.TotalProcessorTime + receiver.TotalProcessorTime - cpu).TotalSeconds;
        if (reply["bytes"]!.GetValue<long>() < size)
        {
            throw new InvalidOperationException($"js sink received {reply["bytes"]} of {size} bytes");
        }
        return size / (reply["ms"]!.GetValue<double>() / 1000) / (1 << 20);
    }

    private static async Task<Libp2pHost> StartAsync()
    {
        var host = new Libp2pHost(Ed25519PrivateKey.Generate(), new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
        host.SetStreamHandler(Sink, async (stream, ct) =>
        {
            long total = 0;
            while (true)
            {
                var result = await stream.Input.ReadAsync(ct);
                total += result.Buffer.Length;
                stream.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
            await stream.Output.WriteAsync(System.Text.Encoding.ASCII.GetBytes(total.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct);
            await stream.CloseWriteAsync(ct);
        });
        await host.StartAsync();
        return host;
    }

    private static async Task UploadAsync(Libp2pHost sender, PeerId receiver, long size)
    {
        await using var stream = await sender.OpenStreamAsync(receiver, Sink);
        var chunk = new byte[256 << 10];
        new Random(1).NextBytes(chunk);
        for (long sent = 0; sent < size; sent += chunk.Length)
        {
            var count = (int)Math.Min(chunk.Length, size - sent);
            await stream.Output.WriteAsync(chunk.AsMemory(0, count));
        }
        await stream.CloseWriteAsync();
        var reply = new MemoryStream();
        await stream.Input.CopyToAsync(reply);
        var received = long.Parse(System.Text.Encoding.ASCII.GetString(reply.ToArray()), System.Globalization.CultureInfo.InvariantCulture);
        if (received != size)
        {
            throw new InvalidOperationException($"sink received {received} of {size} bytes");
        }
    }
}
