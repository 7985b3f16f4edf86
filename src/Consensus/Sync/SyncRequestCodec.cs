using P2P.Consensus.Encoding;
using P2P.Networking.RequestResponse;

namespace P2P.Consensus.Sync;

/// <summary>
/// u8 kind ‖ status (1) | u32 n ‖ n × 32-byte locator hash ‖ u32 max count (2) | u32 n ‖ n × 32-byte block hash (3).
/// Strict: counts within <see cref="SyncLimits"/>, no trailing bytes.
/// </summary>
public sealed class SyncRequestCodec : IMessageCodec<SyncRequest>
{
    public int MaxBytes => SyncLimits.MaxRequestBytes;

    public ReadOnlyMemory<byte> Encode(SyncRequest message)
    {
        var w = new CanonicalWriter().U8((byte)message.Kind);
        switch (message)
        {
            case StatusRequest status:
                SyncStatusCodec.Write(w, status.Status);
                break;
            case HeadersRequest headers:
                WriteHashes(w, headers.Locator, SyncLimits.MaxLocatorHashes);
                w.U32(headers.MaxCount);
                break;
            case BodiesRequest bodies:
                WriteHashes(w, bodies.Hashes, SyncLimits.MaxBodiesPerRequest);
                break;
            default:
                throw new ArgumentException($"unknown request {message.GetType().Name}");
        }
        return w.ToArray();
    }

    public SyncRequest Decode(ReadOnlyMemory<byte> bytes)
    {
        var r = new CanonicalReader(bytes.Span);
        SyncRequest request = (SyncMessageKind)r.U8() switch
        {
            SyncMessageKind.Status => new StatusRequest(SyncStatusCodec.Read(ref r)),
            SyncMessageKind.Headers => new HeadersRequest(ReadHashes(ref r, SyncLimits.MaxLocatorHashes), r.U32()),
            SyncMessageKind.Bodies => new BodiesRequest(ReadHashes(ref r, SyncLimits.MaxBodiesPerRequest)),
            var kind => throw new FormatException($"unknown sync request kind {(byte)kind}"),
        };
        r.ExpectEnd();
        return request;
    }

    private static void WriteHashes(CanonicalWriter w, IReadOnlyList<byte[]> hashes, int max)
    {
        if (hashes.Count > max) throw new ArgumentException($"{hashes.Count} hashes exceed the cap of {max}");
        w.U32((uint)hashes.Count);
        foreach (var hash in hashes) w.Fixed(hash, Hashing.HashLength);
    }

    private static byte[][] ReadHashes(ref CanonicalReader r, int max)
    {
        uint count = r.U32();
        if (count > max) throw new FormatException($"{count} hashes exceed the cap of {max}");
        var hashes = new byte[count][];
        for (int i = 0; i < count; i++) hashes[i] = r.Fixed(Hashing.HashLength);
        return hashes;
    }
}
