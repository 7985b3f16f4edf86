using P2P.Consensus.Genesis;

namespace P2P.Consensus.Tests.Genesis;

/// <summary>Genesis JSON, canonical bytes and chain ids.</summary>
public sealed class GenesisConfigTests
{
    private static readonly GenesisConfig Base = GenesisConfig.Devnet(1_767_225_600);

    public static TheoryData<string> Variations => new(Variants.Keys);

    private static readonly Dictionary<string, GenesisConfig> Variants = new()
    {
        ["chainName"] = Base with { ChainName = "p2p-devnet2" },
        ["timestamp"] = Base with { Timestamp = Base.Timestamp + 1 },
        ["workProfile"] = Base with { WorkProfile = "standard" },
        ["powLimitBits"] = Base with { PowLimitBits = 0x207ffffe },
        ["initialBits"] = Base with { InitialBits = 0x1f008001 },
        ["targetBlockSeconds"] = Base with { TargetBlockSeconds = 6 },
        ["asertHalfLifeSeconds"] = Base with { AsertHalfLifeSeconds = 3601 },
        ["epochLength"] = Base with { EpochLength = 25 },
        ["shareShift"] = Base with { ShareShift = 5 },
        ["shareWindow"] = Base with { ShareWindow = 9 },
        ["issuancePerEpoch"] = Base with { IssuancePerEpoch = Base.IssuancePerEpoch + 1 },
        ["issuanceHalvingEpochs"] = Base with { IssuanceHalvingEpochs = 999 },
        ["validationRatePpm"] = Base with { ValidationRatePpm = 50_001 },
        ["escalationSize"] = Base with { EscalationSize = 4 },
        ["maxFutureDriftSeconds"] = Base with { MaxFutureDriftSeconds = 31 },
        ["maxBlockBytes"] = Base with { MaxBlockBytes = (1 << 20) - 1 },
        ["models"] = Base with { Models = [new GenesisModel("tiny-llama", "seeded:tiny:2")] },
        ["models (none)"] = Base with { Models = [] },
        ["bootstrapPeers"] = Base with { BootstrapPeers = ["/ip4/127.0.0.1/tcp/4001"] },
    };

    [Theory]
    [MemberData(nameof(Variations))]
    public void GenesisField_ChangesTheChainId(string field)
    {
        var variant = Variants[field];
        variant.Validate();
        Assert.NotEqual(Base.ChainId, variant.ChainId);
        Assert.NotEqual(Base.ToJson(), variant.ToJson());
    }

    [Fact]
    public void GenesisVariants_HaveDistinctChainIds()
    {
        var ids = Variants.Values.Append(Base).Select(g => Convert.ToHexString(g.ChainId)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void GenesisJson_RoundTripsToTheSameChainId()
    {
        foreach (var genesis in Variants.Values.Append(Base))
        {
            var parsed = GenesisConfig.FromJson(genesis.ToJson());
            Assert.Equal(genesis.ChainId, parsed.ChainId);
            Assert.Equal(genesis.CanonicalBytes(), parsed.CanonicalBytes());
        }
    }

    [Fact]
    public void GenesisJson_GivesDifferentChainIds_WhenAnyFieldByteDiffers()
    {
        var json = Base.ToJson();
        var changed = json.Replace("\"chainName\": \"p2p-devnet\"", "\"chainName\": \"p2p-devneT\"");
        Assert.NotEqual(json, changed);
        Assert.NotEqual(GenesisConfig.FromJson(json).ChainId, GenesisConfig.FromJson(changed).ChainId);
    }

    [Theory]
    [InlineData("{\"unknownField\": 1}")]
    [InlineData("{\"workProfile\": \"huge\", \"timestamp\": 5}")]
    [InlineData("{\"epochLength\": 0, \"timestamp\": 5}")]
    [InlineData("{\"timestamp\": \"5\"}")]
    [InlineData("[]")]
    [InlineData("null")]
    public void GenesisJson_IsRefusedWithAReason_WhenBad(string json)
    {
        var e = Assert.Throws<FormatException>(() => GenesisConfig.FromJson(json));
        Assert.StartsWith("genesis", e.Message);
    }

    [Fact]
    public void Profiles_PickTheirWorkProfileAndAnInitialTarget()
    {
        Assert.Equal("standard", GenesisConfig.ForProfile("standard", 1).Profile.Name);
        Assert.NotEqual(GenesisConfig.ForProfile("standard", 1).InitialBits, GenesisConfig.ForProfile("devnet", 1).InitialBits);
        Assert.Equal(GenesisConfig.Devnet(1).ChainId, GenesisConfig.ForProfile("devnet", 1).ChainId);
    }
}
