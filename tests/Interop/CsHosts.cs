using System.IO.Pipelines;
using System.Security.Cryptography;
using P2P.Networking.Core;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;

namespace P2P.Interop;

/// <summary>C# hosts for interop tests, serving the same echo and sink protocols as peer.mjs.</summary>
public static class CsHosts
{
    public const string Echo = "/p2pd/echo/1";
    public const string Sink = "/p2pd/sink/1";

    public static async Task<Libp2pHost> StartAsync(Action<NetworkOptions>? configure = null)
    {
        var options = new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] };
        configure?.Invoke(options);
        var host = new Libp2pHost(Ed25519PrivateKey.Generate(), options);
        host.SetStreamHandler(Echo, async (stream, ct) =>
        {
            await stream.Input.CopyToAsync(stream.Output, ct);
            await stream.CloseWriteAsync(ct);
        });
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

    /// <summary>The same xorshift32 byte pattern as peer.mjs.</summary>
    public static byte[] Pattern(int length, uint seed)
    {
        var bytes = new byte[length];
        var x = seed == 0 ? 0x9e3779b9 : seed;
        for (var i = 0; i < length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            bytes[i] = (byte)x;
        }
        return bytes;
    }

    /// <summary>Writes <paramref name="data"/> while reading the echo; returns whether it came back byte-exact.</summary>
    public static async Task<bool> EchoAsync(IStream stream, byte[] data)
    {
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < data.Length; offset += 65536)
            {
                await stream.Output.WriteAsync(data.AsMemory(offset, Math.Min(65536, data.Length - offset)));
            }
            await stream.CloseWriteAsync();
        });
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long received = 0;
        while (true)
        {
            var result = await stream.Input.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                hash.AppendData(segment.Span);
            }
            received += result.Buffer.Length;
            stream.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }
        await writing;
        return received == data.Length && hash.GetHashAndReset().AsSpan().SequenceEqual(SHA256.HashData(data));
    }
}
