using Google.Protobuf;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;
using P2P.Networking.Pubsub.Protos;

namespace P2P.Networking.Tests.Pubsub;

/// <summary>Wire vectors computed independently (by hand from the protobuf spec, signature with Python's `cryptography` Ed25519).</summary>
public class RpcGoldenVectorTests
{
    private const string Seed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private const string MarshalledKey = "0801122003a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
    private const string SignatureInput =
        "6c69627032702d7075627375623a" // "libp2p-pubsub:"
        + "0a26" + "0024" + MarshalledKey // from
        + "120568656c6c6f" // data "hello"
        + "1a080000000000000001" // seqno 1
        + "220b703270642f746573742f31"; // topic "p2pd/test/1"
    private const string Signature =
        "7cf84ac73c30d859fc737bf557ca0814861eccae06ddb58f78374f9d6119a107bf9081fd9d0ed8322faae717cea5701f2add27221e338f37a9cefd5bc6339208";

    private static Message SampleMessage(PubsubIdentity identity) => new()
    {
        From = ByteString.CopyFrom(identity.PeerId.Bytes),
        Data = ByteString.CopyFromUtf8("hello"),
        Seqno = ByteString.CopyFrom(Convert.FromHexString("0000000000000001")),
        Topic = "p2pd/test/1",
    };

    [Fact]
    public void SubscriptionRpc_EncodesAsSpecified()
    {
        var rpc = new RPC();
        rpc.Subscriptions.Add(new SubOpts { Subscribe = true, Topicid = "foo" });
        Assert.Equal("0a0708011203666f6f", Convert.ToHexString(rpc.ToByteArray()).ToLowerInvariant());
    }

    [Fact]
    public void ControlRpc_EncodesAsSpecified()
    {
        var control = new ControlMessage();
        var ihave = new ControlIHave { TopicID = "t" };
        ihave.MessageIDs.Add(ByteString.CopyFrom(0xAA, 0xBB));
        control.Ihave.Add(ihave);
        var iwant = new ControlIWant();
        iwant.MessageIDs.Add(ByteString.CopyFrom(0xCC));
        control.Iwant.Add(iwant);
        control.Graft.Add(new ControlGraft { TopicID = "t" });
        var prune = new ControlPrune { TopicID = "t", Backoff = 60 };
        prune.Peers.Add(new PeerInfo { PeerID = ByteString.CopyFrom(0x01) });
        control.Prune.Add(prune);
        var rpc = new RPC { Control = control };
        // control(3) { ihave(1){topic(1) "t", ids(2) aabb}, iwant(2){ids(1) cc}, graft(3){topic "t"}, prune(4){topic "t", peers(2){peerID(1) 01}, backoff(3) 60} }
        const string expected = "1a1f" + "0a07" + "0a0174" + "1202aabb" + "1203" + "0a01cc" + "1a03" + "0a0174" + "220a" + "0a0174" + "12030a0101" + "183c";
        Assert.Equal(expected, Convert.ToHexString(rpc.ToByteArray()).ToLowerInvariant());
    }

    [Fact]
    public void StrictSignInputSignatureAndId_MatchIndependentVectors()
    {
        var identity = new PubsubIdentity(Ed25519PrivateKey.FromSeed(Convert.FromHexString(Seed)));
        Assert.Equal(MarshalledKey, Convert.ToHexString(identity.MarshalledPublicKey).ToLowerInvariant());
        var message = SampleMessage(identity);
        Assert.Equal(SignatureInput, Convert.ToHexString(StrictSign.SignatureInput(message)).ToLowerInvariant());
        StrictSign.Sign(message, identity);
        Assert.Equal(Signature, Convert.ToHexString(message.Signature.ToByteArray()).ToLowerInvariant());
        Assert.Equal(MarshalledKey + "0000000000000001", MessageIds.JsDefault(message).ToString().ToLowerInvariant());
        Assert.Equal("0024" + MarshalledKey + "0000000000000001", MessageIds.FromAndSeqno(message).ToString().ToLowerInvariant());
        var rpc = new RPC();
        rpc.Publish.Add(message);
        var expectedBody = SignatureInput[28..] + "2a40" + Signature + "3224" + MarshalledKey;
        Assert.Equal("12ae01" + expectedBody, Convert.ToHexString(rpc.ToByteArray()).ToLowerInvariant());
        Assert.True(StrictSign.Verify(RPC.Parser.ParseFrom(rpc.ToByteArray()).Publish[0]));
    }

    [Fact]
    public void Verification_ReEncodesAndRejectsTampering()
    {
        var identity = new PubsubIdentity(Ed25519PrivateKey.FromSeed(Convert.FromHexString(Seed)));
        var message = SampleMessage(identity);
        StrictSign.Sign(message, identity);
        Assert.True(StrictSign.Verify(message));

        var withoutKey = message.Clone();
        withoutKey.ClearKey(); // the key is inlined in the identity-multihash peer id
        Assert.True(StrictSign.Verify(withoutKey));

        var tampered = message.Clone();
        tampered.Data = ByteString.CopyFromUtf8("hellO");
        Assert.False(StrictSign.Verify(tampered));

        var otherKey = message.Clone();
        otherKey.Key = ByteString.CopyFrom(new PubsubIdentity(Ed25519PrivateKey.Generate(new Random(5))).MarshalledPublicKey);
        Assert.False(StrictSign.Verify(otherKey));

        var unsigned = message.Clone();
        unsigned.ClearSignature();
        Assert.False(StrictSign.Verify(unsigned));

        var shortSeqno = message.Clone();
        shortSeqno.Seqno = ByteString.CopyFrom(1, 2);
        Assert.False(StrictSign.Verify(shortSeqno));
    }
}
