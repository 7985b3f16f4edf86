using System.Text.Json;
using System.Text.Json.Serialization;
using P2P.Consensus.Encoding;
using P2P.Work;

namespace P2P.Consensus.Genesis;

/// <summary>The parameters a chain is born with; its canonical bytes hash to the chain id (docs/consensus.md §1).</summary>
public sealed record GenesisConfig
{
    public const int FormatVersion = 1;
    private const string Magic = "p2p/genesis/1";
    private const int MaxTextBytes = 256;
    private const int MaxListCount = 64;
    /// <summary>A genesis file larger than this is refused before it is parsed.</summary>
    public const int MaxFileBytes = 64 * 1024;

    public int Version { get; init; } = FormatVersion;
    public string ChainName { get; init; } = "p2p-devnet";
    /// <summary>Unix seconds; the genesis block's timestamp.</summary>
    public long Timestamp { get; init; }
    public string WorkProfile { get; init; } = "devnet";
    /// <summary>Compact nBits of the easiest target any block (and any share) may have.</summary>
    public uint PowLimitBits { get; init; }
    /// <summary>Compact nBits of the genesis block, ASERT's anchor.</summary>
    public uint InitialBits { get; init; }
    public long TargetBlockSeconds { get; init; } = 5;
    public long AsertHalfLifeSeconds { get; init; } = 3600;
    /// <summary>E: blocks per epoch (epoch e holds heights e·E+1 … (e+1)·E).</summary>
    public int EpochLength { get; init; } = 24;
    /// <summary>k: a share's target is the block target × 2^k, capped at the proof-of-work limit.</summary>
    public int ShareShift { get; init; } = 4;
    /// <summary>W: a share's parent is at most W−1 blocks below the including block's parent.</summary>
    public int ShareWindow { get; init; } = 8;
    /// <summary>Units issued in epoch 0.</summary>
    public ulong IssuancePerEpoch { get; init; } = 1_000_000_000;
    /// <summary>The issuance halves every this many epochs; 0 keeps it constant.</summary>
    public int IssuanceHalvingEpochs { get; init; } = 1000;
    /// <summary>Fraction of receipts drawn for validation, in parts per million (docs/consensus.md §4.8).</summary>
    public uint ValidationRatePpm { get; init; } = 50_000;
    /// <summary>Extra validators an "invalid" verdict draws; with the first verdict they decide by majority.</summary>
    public int EscalationSize { get; init; } = 2;
    /// <summary>The first this many deterministic receipts of every epoch are all drawn for validation, whatever the rate (a young network checks everything).</summary>
    public uint FullValidationReceipts { get; init; } = 1000;
    /// <summary>Blocks a drawn validator has to get its verdict on chain: after the receipt's block, or after the first "invalid" verdict for escalation validators.</summary>
    public int VerdictDeadlineBlocks { get; init; } = 6;
    public long MaxFutureDriftSeconds { get; init; } = 30;
    public int MaxBlockBytes { get; init; } = 1 << 20;
    public IReadOnlyList<GenesisModel> Models { get; init; } = [];
    public IReadOnlyList<string> BootstrapPeers { get; init; } = [];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>Devnet defaults: the devnet work profile, ~5 s blocks on one core (≈ 2^17 nonces at ≈ 23 k nonces/s), epochs of 24 blocks, ≈ 16 shares per block.</summary>
    public static GenesisConfig Devnet(long timestamp, string chainName = "p2p-devnet", IReadOnlyList<string>? bootstrapPeers = null) => new()
    {
        ChainName = chainName,
        Timestamp = timestamp,
        WorkProfile = P2P.Work.WorkProfile.Devnet.Name,
        PowLimitBits = 0x207fffff, // ≈ 2^255, Bitcoin regtest's limit
        InitialBits = 0x1f008000,  // 2^239: 2^17 nonces expected per block
        BootstrapPeers = bootstrapPeers ?? [],
        Models = [new GenesisModel("tiny-llama", "seeded:tiny:1")],
    };

    /// <summary>Devnet defaults with the work profile <paramref name="profile"/> and an initial target for ≈ 5 s blocks on one core of the machine the docs measured.</summary>
    public static GenesisConfig ForProfile(string profile, long timestamp, string chainName = "p2p-devnet", IReadOnlyList<string>? bootstrapPeers = null) =>
        Devnet(timestamp, chainName, bootstrapPeers) with
        {
            WorkProfile = profile,
            InitialBits = profile switch
            {
                "standard" => 0x20008000, // 2^247: 512 nonces at ≈ 100 nonces/s
                "large" => 0x20040000,    // 2^250: 64 nonces at ≈ 10 nonces/s
                _ => 0x1f008000,
            },
        };

    [JsonIgnore]
    public WorkProfile Profile => P2P.Work.WorkProfile.FromName(WorkProfile)
        ?? throw new FormatException($"genesis: unknown work profile '{WorkProfile}'");

    /// <summary>Throws <see cref="FormatException"/> naming the first parameter out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new FormatException("genesis: " + message);
        }
        Require(Version == FormatVersion, $"version {Version} is not {FormatVersion}");
        Require(!string.IsNullOrEmpty(ChainName) && System.Text.Encoding.UTF8.GetByteCount(ChainName) <= MaxTextBytes, "chainName must be 1..256 bytes");
        Require(Timestamp > 0, "timestamp must be positive Unix seconds");
        _ = Profile;
        Require(TargetBlockSeconds is > 0 and <= 86_400, "targetBlockSeconds out of 1..86400");
        Require(AsertHalfLifeSeconds is > 0 and <= 1L << 40, "asertHalfLifeSeconds out of range");
        Require(EpochLength is > 0 and <= 1_000_000, "epochLength out of 1..1000000");
        Require(ShareShift is >= 0 and <= 32, "shareShift out of 0..32");
        Require(ShareWindow is > 0 and <= 1024, "shareWindow out of 1..1024");
        Require(IssuanceHalvingEpochs >= 0, "issuanceHalvingEpochs is negative");
        Require(ValidationRatePpm <= 1_000_000, "validationRatePpm above 1000000");
        Require(EscalationSize is >= 0 and <= 64, "escalationSize out of 0..64");
        Require(VerdictDeadlineBlocks is > 0 and <= 100_000, "verdictDeadlineBlocks out of 1..100000");
        Require(MaxFutureDriftSeconds is >= 0 and <= 86_400, "maxFutureDriftSeconds out of 0..86400");
        Require(MaxBlockBytes is >= 1024 and <= 32 << 20, "maxBlockBytes out of 1 KiB..32 MiB");
        Require(Models.Count <= MaxListCount && BootstrapPeers.Count <= MaxListCount, "at most 64 models and 64 bootstrap peers");
        foreach (var model in Models)
            Require(Fits(model.Name) && Fits(model.Source), "model name and source must be 1..256 bytes");
        foreach (var peer in BootstrapPeers)
            Require(Fits(peer), "bootstrap peer must be 1..256 bytes");
        Require(Difficulty.CompactTarget.TryDecode(PowLimitBits, out var limit), "powLimitBits is not a valid compact target");
        Require(Difficulty.CompactTarget.TryDecode(InitialBits, out var initial), "initialBits is not a valid compact target");
        Require(initial <= limit, "initialBits is easier than powLimitBits");
    }

    private static bool Fits(string? text) => !string.IsNullOrEmpty(text) && System.Text.Encoding.UTF8.GetByteCount(text) <= MaxTextBytes;

    /// <summary>Every field in declaration order, fixed-width big-endian integers, u32-length-prefixed UTF-8 strings, u32-counted lists.</summary>
    public byte[] CanonicalBytes()
    {
        var w = new CanonicalWriter().Text(Magic)
            .U32((uint)Version).Text(ChainName).I64(Timestamp).Text(WorkProfile)
            .U32(PowLimitBits).U32(InitialBits).I64(TargetBlockSeconds).I64(AsertHalfLifeSeconds)
            .U32((uint)EpochLength).U32((uint)ShareShift).U32((uint)ShareWindow)
            .U64(IssuancePerEpoch).U32((uint)IssuanceHalvingEpochs).U32(ValidationRatePpm).U32((uint)EscalationSize)
            .U32(FullValidationReceipts).U32((uint)VerdictDeadlineBlocks).I64(MaxFutureDriftSeconds).U32((uint)MaxBlockBytes);
        w.U32((uint)Models.Count);
        foreach (var model in Models) w.Text(model.Name).Text(model.Source);
        w.U32((uint)BootstrapPeers.Count);
        foreach (var peer in BootstrapPeers) w.Text(peer);
        return w.ToArray();
    }

    /// <summary>SHA-256 of <see cref="CanonicalBytes"/>.</summary>
    [JsonIgnore]
    public byte[] ChainId => Hashing.Sha256(CanonicalBytes());

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates a genesis JSON document; any unknown member or bad value is a <see cref="FormatException"/>.</summary>
    public static GenesisConfig FromJson(string json)
    {
        if (json.Length > MaxFileBytes) throw new FormatException($"genesis: document larger than {MaxFileBytes} bytes");
        GenesisConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<GenesisConfig>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException("genesis: " + e.Message, e);
        }
        if (config is null) throw new FormatException("genesis: empty document");
        config.Validate();
        return config;
    }

    public static GenesisConfig Load(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxFileBytes) throw new FormatException($"genesis: {path} is larger than {MaxFileBytes} bytes");
        return FromJson(File.ReadAllText(path));
    }
}
