using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Networking.RequestResponse;

namespace P2P.Consensus.Sync;

/// <summary>
/// u8 kind ‖ status (1) | u32 n ‖ n × 168-byte header (2) | u32 n ‖ n × (u32 length ‖ block) (3).
/// Strict: counts and sizes within <see cref="SyncLimits"/> and the chain's block size, no trailing bytes.
/// </summary>
public sealed class SyncResponseCodec(int maxBlockBytes) : IMessageCodec<SyncResponse>
{
    public int MaxBytes { get; } = SyncLimits.MaxBodiesResponseBytes(maxBlockBytes);

    public ReadOnlyMemory<byte> Encode(SyncResponse message)
    {
        var w = new CanonicalWriter().U8((byte)message.Kind);
        switch (message)
        {
            case StatusResponse status:
                SyncStatusCodec.Write(w, status.Status);
                break;
            case HeadersResponse headers:
                if (headers.Headers.Count > SyncLimits.MaxHeadersPerResponse) throw new ArgumentException($"{headers.Headers.Count} headers exceed the cap");
                w.U32((uint)headers.Headers.Count);
                foreach (var header in headers.Headers) w.Fixed(header.Encode(), BlockHeader.EncodedLength);
                break;
            case BodiesResponse bodies:
                if (bodies.Blocks.Count > SyncLimits.MaxBodiesPerRequest) throw new ArgumentException($"{bodies.Blocks.Count} blocks exceed the cap");
                w.U32((uint)bodies.Blocks.Count);
                foreach (var block in bodies.Blocks) w.Bytes(block);
                break;
            default:
                throw new ArgumentException($"unknown response {message.GetType().Name}");
        }
        return w.ToArray();
    }

    public SyncResponse Decode(ReadOnlyMemory<byte> bytes)
    {
        var r = new CanonicalReader(bytes.Span);
        SyncResponse response;
        switch ((SyncMessageKind)r.U8())
        {
            case SyncMessageKind.Status:
                response = new StatusResponse(SyncStatusCodec.Read(ref r));
                break;
            case SyncMessageKind.Headers:
                {
                    uint count = r.U32();
                    if (count > SyncLimits.MaxHeadersPerResponse) throw new FormatException($"{count} headers exceed the cap of {SyncLimits.MaxHeadersPerResponse}");
                    var headers = new BlockHeader[count];
                    for (int i = 0; i < count; i++) headers[i] = BlockHeader.Decode(r.Fixed(BlockHeader.EncodedLength));
                    response = new HeadersResponse(headers);
                    break;
                }
            case SyncMessageKind.Bodies:
                {
                    uint count = r.U32();
                    if (count > SyncLimits.MaxBodiesPerRequest) throw new FormatException($"{count} blocks exceed the cap of {SyncLimits.MaxBodiesPerRequest}");
                    var blocks = new byte[count][];
                    for (int i = 0; i < count; i++) blocks[i] = r.Bytes(maxBlockBytes);
                    response = new BodiesResponse(blocks);
                    break;
                }
            case var kind:
                throw new FormatException($"unknown sync response kind {(byte)kind}");
        }
        r.ExpectEnd();
        return response;
    }
}
