using P2P.Consensus.Encoding;

namespace P2P.Consensus.Blocks;

/// <summary>A block header (docs/consensus.md §2.1): 168 bytes, fixed order, big-endian; the nonce is last so the work challenge is a prefix hash.</summary>
public sealed record BlockHeader
{
    public const uint CurrentVersion = 1;
    public const int EncodedLength = 4 + 32 + 8 + 32 + 8 + 4 + 8 + 32 + 32 + 8;
    public const int KeyLength = 32;

    public uint Version { get; init; } = CurrentVersion;
    public required byte[] ChainId { get; init; }
    public ulong Height { get; init; }
    public required byte[] ParentHash { get; init; }
    /// <summary>Unix seconds.</summary>
    public long Timestamp { get; init; }
    public uint Bits { get; init; }
    public ulong Epoch { get; init; }
    public required byte[] BodyRoot { get; init; }
    /// <summary>The miner's Ed25519 public key (32 bytes); it is inside the challenge, so nobody else can claim this work.</summary>
    public required byte[] Miner { get; init; }
    public ulong Nonce { get; init; }

    public byte[] Encode() => WriteWithoutNonce().U64(Nonce).ToArray();

    private CanonicalWriter WriteWithoutNonce() => new CanonicalWriter()
        .U32(Version).Fixed(ChainId, 32).U64(Height).Fixed(ParentHash, 32).I64(Timestamp)
        .U32(Bits).U64(Epoch).Fixed(BodyRoot, 32).Fixed(Miner, KeyLength);

    /// <summary>SHA-256 of the 168-byte header: the block's identity.</summary>
    public byte[] Hash() => Hashing.Sha256(Encode());

    /// <summary>SHA-256 of the first 160 bytes (everything but the nonce): the work function's challenge.</summary>
    public byte[] WorkChallenge() => Hashing.Sha256(WriteWithoutNonce().ToArray());

    public static BlockHeader Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != EncodedLength) throw new FormatException($"header of {bytes.Length} bytes, {EncodedLength} expected");
        var r = new CanonicalReader(bytes);
        var header = new BlockHeader
        {
            Version = r.U32(),
            ChainId = r.Fixed(32),
            Height = r.U64(),
            ParentHash = r.Fixed(32),
            Timestamp = r.I64(),
            Bits = r.U32(),
            Epoch = r.U64(),
            BodyRoot = r.Fixed(32),
            Miner = r.Fixed(KeyLength),
            Nonce = r.U64(),
        };
        r.ExpectEnd();
        return header;
    }
}
