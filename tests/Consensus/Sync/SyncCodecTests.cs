using System.Numerics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Sync;

namespace P2P.Consensus.Tests.Sync;

/// <summary>Golden vectors of the <c>/p2pd/sync/1</c> messages (docs/protocol.md "Chain sync") and the decoders' caps.</summary>
public sealed class SyncCodecTests
{
    private static readonly SyncRequestCodec Requests = new();
    private static readonly SyncResponseCodec Responses = new(4096);

    private static byte[] Fill(byte value, int count = 32) => Enumerable.Repeat(value, count).ToArray();

    private static string Hex(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(bytes.Span);

    private static string Rep(string hexByte, int count = 32) => string.Concat(Enumerable.Repeat(hexByte, count));

    private static readonly SyncStatus Status = new(Fill(1), Fill(2), Fill(3), 7, 65536);
    private static readonly string StatusHex = Rep("01") + Rep("02") + Rep("03") + "0000000000000007" + "00000003" + "010000";

    [Fact]
    public void Requests_MatchTheirGoldenVectors_AndDecodeBack()
    {
        var vectors = new (SyncRequest Message, string Hex)[]
        {
            (new StatusRequest(Status), "01" + StatusHex),
            (new HeadersRequest([Fill(0xaa), Fill(0xbb)], 512), "02" + "00000002" + Rep("aa") + Rep("bb") + "00000200"),
            (new BodiesRequest([Fill(0xcc)]), "03" + "00000001" + Rep("cc")),
        };
        foreach (var (message, hex) in vectors)
        {
            Assert.Equal(hex, Hex(Requests.Encode(message)));
            Assert.Equal(hex, Hex(Requests.Encode(Requests.Decode(Convert.FromHexString(hex)))));
        }
    }

    [Fact]
    public void Responses_MatchTheirGoldenVectors_AndDecodeBack()
    {
        var header = new BlockHeader { ChainId = Fill(1), Height = 1, ParentHash = Fill(2), Timestamp = 5, Bits = 0x20080000, Epoch = 0, BodyRoot = Fill(3), Miner = Fill(4), Nonce = 9 };
        var vectors = new (SyncResponse Message, string Hex)[]
        {
            (new StatusResponse(Status), "01" + StatusHex),
            (new HeadersResponse([header]), "02" + "00000001" + Hex(header.Encode())),
            (new BodiesResponse([[1, 2, 3]]), "03" + "00000001" + "00000003" + "010203"),
            (new StatusResponse(Status with { CumulativeWork = 0 }), "01" + StatusHex[..^14] + "00000000"),
        };
        foreach (var (message, hex) in vectors)
        {
            Assert.Equal(hex, Hex(Responses.Encode(message)));
            Assert.Equal(hex, Hex(Responses.Encode(Responses.Decode(Convert.FromHexString(hex)))));
        }
    }

    [Theory]
    [InlineData("04")]                                   // unknown kind
    [InlineData("")]                                     // empty
    [InlineData("0300000001" + "cc")]                    // truncated hash
    [InlineData("0300000000" + "00")]                    // trailing byte
    [InlineData("0300000041")]                           // 65 hashes: over the cap, refused before reading them
    [InlineData("02000000410000")]                       // 65 locator hashes
    public void Decode_RefusesBadRequests(string hex) =>
        Assert.Throws<FormatException>(() => Requests.Decode(Convert.FromHexString(hex)));

    [Fact]
    public void Decode_RefusesBadResponses()
    {
        Assert.Throws<FormatException>(() => Responses.Decode(Convert.FromHexString("0200000201")));                  // 513 headers
        Assert.Throws<FormatException>(() => Responses.Decode(Convert.FromHexString("0300000041")));                  // 65 blocks
        Assert.Throws<FormatException>(() => Responses.Decode(Convert.FromHexString("030000000100001001")));          // a block over the chain's 4096 bytes
        Assert.Throws<FormatException>(() => Responses.Decode(Convert.FromHexString("01" + StatusHex[..^14] + "00000002" + "0001"))); // work with a leading zero
        Assert.Throws<FormatException>(() => Responses.Decode(Convert.FromHexString("01" + StatusHex[..^14] + "00000041" + Rep("ff", 65)))); // 65-byte work
        Assert.Throws<FormatException>(() => Responses.Decode(Convert.FromHexString("0200000001" + Rep("00", 167))));  // short header
    }

    [Fact]
    public void Limits_FitTheLargestMessages()
    {
        var fullBodies = new BodiesRequest(Enumerable.Range(0, SyncLimits.MaxBodiesPerRequest).Select(i => Fill((byte)i)).ToList());
        Assert.Equal(SyncLimits.MaxRequestBytes - 4, Requests.Encode(fullBodies).Length);
        var fullLocator = new HeadersRequest(Enumerable.Range(0, SyncLimits.MaxLocatorHashes).Select(i => Fill((byte)i)).ToList(), 512);
        Assert.True(Requests.Encode(fullLocator).Length <= Requests.MaxBytes);
        Assert.True(Requests.Encode(new StatusRequest(Status with { CumulativeWork = BigInteger.One << 500 })).Length <= Requests.MaxBytes);
        // A response of the byte budget plus one more largest block still decodes (a server stops adding after the budget).
        Assert.True(new SyncResponseCodec(1 << 20).MaxBytes >= SyncLimits.BodiesByteBudget + 64 * 4 + 5);
        Assert.True(new SyncResponseCodec(8 << 20).MaxBytes >= (8 << 20) + 64 * 4 + 5);
    }
}
