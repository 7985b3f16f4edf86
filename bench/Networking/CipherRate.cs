using System.Diagnostics;
using System.Security.Cryptography;

namespace P2P.Bench.Networking;

/// <summary>The BCL ChaCha20-Poly1305 encryption rate on one core, in 64 KiB chunks as Noise frames carry.</summary>
internal static class CipherRate
{
    /// <summary>
    /// Aggregate rate of <paramref name="threads"/> threads encrypting at once. Where the cores share execution units
    /// (hyper-threads, shared vCPUs) this is far below threads × the one-core rate; a connection in one process needs
    /// one encryption and one decryption per byte, so its ceiling is half of the two-thread aggregate.
    /// </summary>
    public static double MeasureParallel(TimeSpan duration, int threads)
    {
        var rates = new double[threads];
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() => rates[i] = Measure(duration)) { IsBackground = true }).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }
        foreach (var worker in workers)
        {
            worker.Join();
        }
        return rates.Sum();
    }

    public static double Measure(TimeSpan duration)
    {
        using var aead = new ChaCha20Poly1305(RandomNumberGenerator.GetBytes(32));
        var plaintext = RandomNumberGenerator.GetBytes(65519);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        var nonce = new byte[12];
        for (var i = 0; i < 200; i++)
        {
            aead.Encrypt(nonce, plaintext, ciphertext, tag);
        }
        long bytes = 0;
        ulong counter = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            for (var i = 0; i < 64; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(nonce.AsSpan(4), counter++);
                aead.Encrypt(nonce, plaintext, ciphertext, tag);
                bytes += plaintext.Length;
            }
        }
        return bytes / watch.Elapsed.TotalSeconds / (1 << 20);
    }
}
