namespace P2P.Consensus.Sync;

/// <summary>Caps of <c>/p2pd/sync/1</c> messages (docs/protocol.md "Chain sync"); decoders refuse anything beyond them.</summary>
public static class SyncLimits
{
    public const string ProtocolId = "/p2pd/sync/1";

    /// <summary>Hashes in a block locator: enough for 2^50 blocks with ten dense entries at the top.</summary>
    public const int MaxLocatorHashes = 64;

    /// <summary>Headers in one response (≈ 84 KiB).</summary>
    public const int MaxHeadersPerResponse = 512;

    /// <summary>Blocks asked for, and answered, in one bodies exchange.</summary>
    public const int MaxBodiesPerRequest = 64;

    /// <summary>Byte budget of a bodies response below which servers stop adding blocks (one block always fits: see <see cref="MaxBodiesResponseBytes"/>).</summary>
    public const int BodiesByteBudget = 2 * 1024 * 1024;

    /// <summary>Cumulative work is at most 2^256 × blocks: 64 bytes are plenty.</summary>
    public const int MaxWorkBytes = 64;

    public const int MaxRequestBytes = 1 + 4 + MaxBodiesPerRequest * 32 + 4;

    /// <summary>The response limit: the byte budget or one largest block, whichever is larger, plus framing.</summary>
    public static int MaxBodiesResponseBytes(int maxBlockBytes) => Math.Max(BodiesByteBudget, maxBlockBytes) + 1 + 4 + MaxBodiesPerRequest * 4;
}
