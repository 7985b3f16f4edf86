using P2P.Consensus.Blocks;
using P2P.Consensus.Reasons;
using P2P.Consensus.State;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.Blocks;

/// <summary>Mutated block bytes never crash the node and never change its state unless the result is a valid block.</summary>
public sealed class DecoderFuzzTests
{
    [Fact]
    public void MutatedBlocks_AreRejectedWithAReason_AndLeaveTheStateUnchanged()
    {
        using var t = new TestChain();
        t.Extend(4, TestChain.Key(1));
        var id = t.Chain.ChainId;
        var receipt = Samples.Receipt(TestChain.Key(2), id, epoch: 1);
        var block = t.MineNext(TestChain.Key(1), [
            t.MineShare(TestChain.Key(3)),
            Transfer.Create(TestChain.Key(1), id, TestChain.Pub(TestChain.Key(2)), 5, 1, 0),
            receipt,
            Samples.Declaration(TestChain.Key(3), id, epoch: 1),
        ]);
        var bytes = block.Encode();
        var digest = t.Chain.StateDigest();
        var random = new Random(12);
        for (int i = 0; i < 400; i++)
        {
            var mutated = (byte[])bytes.Clone();
            int Position()
            {
                // Not the nonce: another nonce may meet the easy test target, which would be a valid block.
                int p;
                do p = random.Next(mutated.Length); while (p is >= BlockHeader.EncodedLength - 8 and < BlockHeader.EncodedLength);
                return p;
            }
            switch (i % 4)
            {
                case 0: mutated[Position()] ^= (byte)(1 << random.Next(8)); break;
                case 1: mutated = mutated[..random.Next(mutated.Length)]; break;
                case 2: mutated = [.. mutated, .. Enumerable.Range(0, random.Next(1, 300)).Select(_ => (byte)random.Next(256))]; break;
                default:
                    for (int k = 0; k < 8; k++) mutated[Position()] = (byte)(mutated[Position()] ^ random.Next(1, 256));
                    break;
            }
            var result = t.Chain.SubmitBytes(mutated, TestChain.TimeAt(5));
            // A changed parent hash makes an orphan; anything else is invalid with a reason.
            Assert.Contains(result.Status, new[] { SubmitStatus.Invalid, SubmitStatus.Orphan });
            Assert.NotEqual(RejectReason.None, result.Reason);
            Assert.False(result.HeadChanged);
            Assert.Equal(digest, t.Chain.StateDigest());
        }
        Assert.True(t.Chain.SubmitBytes(bytes, TestChain.TimeAt(5)).HeadChanged);
    }

    [Fact]
    public void LengthFields_ClaimingHugeSizes_AreRefusedBeforeAllocation()
    {
        var header = new byte[BlockHeader.EncodedLength];
        byte[] bytes = [.. header, 0x00, 0x00, 0x00, 0x01, (byte)BodyItemType.Transfer, 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.False(BlockCodec.TryDecode(bytes, 1 << 20, out _, out var reason));
        Assert.Equal(RejectReason.Malformed, reason);
        byte[] tooMany = [.. header, 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.False(BlockCodec.TryDecode(tooMany, 1 << 20, out _, out reason));
        Assert.Equal(RejectReason.TooManyItems, reason);
    }
}
