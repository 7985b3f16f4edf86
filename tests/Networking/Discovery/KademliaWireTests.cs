using Google.Protobuf;
using P2P.Networking.Discovery;
using P2P.Networking.Discovery.Protos;
using P2P.Networking.Identity;

namespace P2P.Networking.Tests.Discovery;

public class KademliaWireTests
{
    [Fact]
    public void FindNodeRequest_EncodesAsSpecified()
    {
        var request = new Message { Type = Message.Types.MessageType.FindNode, Key = ByteString.CopyFrom(0x01, 0x02) };
        Assert.Equal("080412020102", Convert.ToHexString(request.ToByteArray()).ToLowerInvariant());
    }

    [Fact]
    public void FindNodeResponse_EncodesPeersAsSpecified()
    {
        var response = new Message { Type = Message.Types.MessageType.FindNode };
        var peer = new Message.Types.Peer { Id = ByteString.CopyFrom(0xAA), Connection = Message.Types.ConnectionType.Connected };
        peer.Addrs.Add(ByteString.CopyFrom(0x04, 0x7f, 0x00, 0x00, 0x01));
        response.CloserPeers.Add(peer);
        // type(1)=4, closerPeers(8){ id(1) aa, addrs(2) 047f000001, connection(3)=1 }
        Assert.Equal("0804" + "420c" + "0a01aa" + "1205047f000001" + "1801", Convert.ToHexString(response.ToByteArray()).ToLowerInvariant());
    }

    [Fact]
    public void Keys_AreSha256AndDistanceIsXor()
    {
        var a = KadKey.FromBytes("a"u8);
        var b = KadKey.FromBytes("b"u8);
        Assert.Equal("CA978112CA1BBDCAFAC231B39A23DC4DA786EFF8147C4E72B9807785AFEE48BB", a.ToString());
        Assert.Equal(0, a.CommonPrefixLength(b)); // ca… ^ 3e… = f4…: first bit differs
        Assert.Equal(256, a.CommonPrefixLength(a));
        Assert.True(a.CompareDistance(a, b) < 0);
    }

    [Fact]
    public void RoutingTable_CapsBucketsAndReturnsTheNearestByXor()
    {
        var random = new Random(4);
        var local = Ed25519PrivateKey.Generate(random).PeerId;
        var table = new RoutingTable(local, bucketSize: 3);
        var peers = Enumerable.Range(0, 200).Select(_ => Ed25519PrivateKey.Generate(random).PeerId).ToList();
        foreach (var peer in peers)
        {
            table.TryAdd(peer);
        }
        Assert.False(table.TryAdd(local));
        var localKey = KadKey.FromPeer(local);
        // Half of all keys fall in bucket 0 (first bit differs): it holds only 3 of them.
        Assert.Equal(3, table.All().Count(p => localKey.CommonPrefixLength(KadKey.FromPeer(p)) == 0));
        var target = KadKey.FromBytes("target"u8);
        var expected = table.All().OrderBy(p => KadKey.FromPeer(p), Comparer<KadKey>.Create(target.CompareDistance)).Take(5);
        Assert.Equal(expected, table.Nearest(target, 5));
        Assert.True(table.Remove(table.All()[0]));
    }
}
