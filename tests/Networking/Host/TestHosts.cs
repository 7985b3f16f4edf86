using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Core;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;

namespace P2P.Networking.Tests.Host;

/// <summary>Hosts on 127.0.0.1 with random ports, and an echo protocol, for C#↔C# tests.</summary>
internal static class TestHosts
{
    public const string EchoProtocol = "/p2pd/echo/1";

    public static async Task<Libp2pHost> StartAsync(Action<NetworkOptions>? configure = null, int? seed = null, TimeProvider? time = null)
    {
        var options = new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] };
        configure?.Invoke(options);
        var key = seed is { } s ? Ed25519PrivateKey.Generate(new Random(s)) : Ed25519PrivateKey.Generate();
        var host = new Libp2pHost(key, options, time: time);
        host.SetStreamHandler(EchoProtocol, EchoAsync);
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// Disposes a host that runs on a fake clock, moving the clock while it stops: its bounded waits for closing
    /// connections run on that clock and would otherwise wait for ever.
    /// </summary>
    public static async Task DisposeOnFakeClockAsync(Libp2pHost host, FakeTimeProvider time)
    {
        var disposing = host.DisposeAsync().AsTask();
        for (var i = 0; i < 1000 && !disposing.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(disposing, Task.Delay(10));
        }
        await disposing;
    }

    public static async Task EchoAsync(IStream stream, CancellationToken cancellationToken)
    {
        await stream.Input.CopyToAsync(stream.Output, cancellationToken);
        await stream.CloseWriteAsync(cancellationToken);
    }

    /// <summary>Writes <paramref name="data"/> and reads the echo concurrently; returns what came back.</summary>
    public static async Task<byte[]> RoundTripAsync(IStream stream, byte[] data, CancellationToken cancellationToken)
    {
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < data.Length; offset += 100_000)
            {
                await stream.Output.WriteAsync(data.AsMemory(offset, Math.Min(100_000, data.Length - offset)), cancellationToken);
            }
            await stream.CloseWriteAsync(cancellationToken);
        }, cancellationToken);
        var received = new MemoryStream();
        await stream.Input.CopyToAsync(received, cancellationToken);
        await writing;
        return received.ToArray();
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
