using System.Text;
using P2P.InferenceNetwork.Adverts;
using P2P.Networking.Identity;

namespace P2P.InferenceNetwork.Tests;

public sealed class AdvertSignerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static CapabilityAdvert Advert() => new()
    {
        ModelId = new string('a', 64),
        Name = "stories260k",
        Spec = "stories260k",
        Start = 0,
        End = 2,
        NumLayers = 5,
        MaxPositions = 512,
        Deterministic = true,
        TokensPerSecond = 100,
        FreeSlots = 3,
        MaxSessions = 4,
        Addresses = ["/ip4/127.0.0.1/tcp/4001"],
        IssuedAtMs = Now.ToUnixTimeMilliseconds(),
        ExpiresAtMs = Now.AddSeconds(90).ToUnixTimeMilliseconds(),
    };

    [Fact]
    public void SignedAdvert_RoundTrips_AndNamesItsSigner()
    {
        var key = Ed25519PrivateKey.Generate();
        var encoded = AdvertSigner.Encode(AdvertSigner.Sign(Advert(), key));
        var decoded = AdvertSigner.Decode(encoded, Now, out var reason, out _);
        Assert.Null(reason);
        Assert.Equal(key.PeerId.ToString(), decoded!.PeerId);
        Assert.False(decoded.IsWholeModel);
    }

    [Fact]
    public void TamperedAdvert_IsRejected()
    {
        var signed = AdvertSigner.Sign(Advert(), Ed25519PrivateKey.Generate());
        var tampered = AdvertSigner.Encode(signed with { FreeSlots = 99 });
        Assert.Null(AdvertSigner.Decode(tampered, Now, out var reason, out var expired));
        Assert.Contains("signature", reason);
        Assert.False(expired);
    }

    [Fact]
    public void AdvertSignedByAnotherKey_IsRejected()
    {
        var signed = AdvertSigner.Sign(Advert(), Ed25519PrivateKey.Generate());
        var stolen = signed with { PeerId = Ed25519PrivateKey.Generate().PeerId.ToString() };
        Assert.Null(AdvertSigner.Decode(AdvertSigner.Encode(stolen), Now, out var reason, out _));
        Assert.Contains("signature", reason);
    }

    [Fact]
    public void ExpiredAdvert_IsMarkedExpired()
    {
        var encoded = AdvertSigner.Encode(AdvertSigner.Sign(Advert(), Ed25519PrivateKey.Generate()));
        Assert.Null(AdvertSigner.Decode(encoded, Now.AddSeconds(91), out _, out var expired));
        Assert.True(expired);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("{\"version\":1,\"peerId\":\"x\"}")]
    [InlineData("[1,2,3]")]
    public void Garbage_IsRejectedWithAReason(string text)
    {
        Assert.Null(AdvertSigner.Decode(Encoding.UTF8.GetBytes(text), Now, out var reason, out _));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void OversizedAdvert_IsRejectedBeforeParsing()
    {
        Assert.Null(AdvertSigner.Decode(new byte[AdvertSigner.MaxBytes + 1], Now, out var reason, out _));
        Assert.Contains("exceeds", reason);
    }

    [Fact]
    public void BadLayerRange_IsRejected()
    {
        var key = Ed25519PrivateKey.Generate();
        var encoded = AdvertSigner.Encode(AdvertSigner.Sign(Advert() with { Start = 3, End = 2 }, key));
        Assert.Null(AdvertSigner.Decode(encoded, Now, out var reason, out _));
        Assert.Contains("layer range", reason);
    }
}
