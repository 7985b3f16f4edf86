using P2P.Networking.Identity;
using P2P.Networking.Noise;
using P2P.Networking.Streams;

namespace P2P.Networking.Tests.Noise;

/// <summary>
/// Noise XX with the libp2p payload from fixed keys. The expected bytes were computed independently with
/// @noble/curves, @noble/ciphers and @noble/hashes (tests/Interop/js/noise-vectors.mjs, also re-run live by
/// the interop tests). Byte i of each 32-byte key is start + i.
/// </summary>
public sealed class NoiseVectorTests
{
    internal const string Message1 = "5869aff450549732cbaaed5e5df9b30a6da31cb0e5742bad5ad4a1a768f1a67b";

    internal const string Message2 =
        "244fe3b963e899dd295baffce248d3530f3a9a7479ba063002680ebfe7adad49f197d6be61b51372854b4947bb7968e9" +
        "0c719fe79550e48ecf696cc4e7b51e16cd17e573e3461759047903c2b7cd451750f5085a60b756a0111d1430547041c7" +
        "edb222480ff9bff13cef5fcd1a2af8e994aeb0fcbceee88865b887fa129859106182a6189ee10c1d5a3199c0219a7e78" +
        "8b9fee92b38134e522bc7a2592fc91274779a09b07f91e7f22b8cdfacac5bb642ee43a65fe416d5bfe6417a2428cad83" +
        "68edea45f12abd06";

    internal const string Message3 =
        "bb393122a9dd7e3e19dd4433a6c6743ff2454a8d4e165786a5f1235a87aaf27e4b4f66420e16f9ef7e3527c48ae2a911" +
        "9f540bfd55499d8f567ac66234e8750ba7c6df04fabd14ec35d56d6b7f38c6a5fd6815dd6e67fdcd868d0a3035b70a70" +
        "96276fee353c4fe3e211d4d96fef5573ee408567dd1f4512b40d9f02d515dea210262499c7e8f5a222d3d31073ab6298" +
        "83016c960205dbd5e3c52a9163e877ca9b5c98f9d7dd2641";

    internal const string HandshakeHash = "6894c3d46b66759d4efc5b9c077d22fbec4a64e6aa79d51f030fcfa62fa33b51";
    internal const string InitiatorFirst = "e1e26b936933f72d8d7ab51aee80e3c6a5ea30a7cb";
    internal const string ResponderFirst = "788d40486b2519ebf8dd0689e2ee5cbdf4db1b3cf7";

    internal static byte[] Key(int start) => Enumerable.Range(0, 32).Select(i => (byte)(start + i)).ToArray();

    /// <summary>Runs the whole handshake from the fixed keys and returns every message and the split ciphers.</summary>
    internal static (string M1, string M2, string M3, string Hash, string InitiatorFirst, string ResponderFirst) Compute()
    {
        var initiatorStatic = X25519KeyPair.FromPrivateKey(Key(0x01));
        var responderStatic = X25519KeyPair.FromPrivateKey(Key(0x41));
        using var initiator = new NoiseXXHandshake(true, initiatorStatic, X25519KeyPair.FromPrivateKey(Key(0x21)));
        using var responder = new NoiseXXHandshake(false, responderStatic, X25519KeyPair.FromPrivateKey(Key(0x61)));
        var initiatorIdentity = Ed25519PrivateKey.FromSeed(Key(0x81));
        var responderIdentity = Ed25519PrivateKey.FromSeed(Key(0xa1));

        var m1 = initiator.WriteMessage1([]);
        Assert.Empty(responder.ReadMessage1(m1));
        var m2 = responder.WriteMessage2(new NoiseSecurity(responderIdentity, responderStatic).CreatePayload());
        var payload2 = initiator.ReadMessage2(m2);
        Assert.Equal(responderIdentity.PublicKey, NoiseSecurity.VerifyPayload(payload2, initiator.RemoteStaticKey!, responderIdentity.PeerId));
        var m3 = initiator.WriteMessage3(new NoiseSecurity(initiatorIdentity, initiatorStatic).CreatePayload());
        var payload3 = responder.ReadMessage3(m3);
        Assert.Equal(initiatorIdentity.PublicKey, NoiseSecurity.VerifyPayload(payload3, responder.RemoteStaticKey!, null));
        Assert.True(initiator.HandshakeHash.SequenceEqual(responder.HandshakeHash));

        var (initiatorSend, initiatorReceive) = initiator.Split();
        var (responderSend, responderReceive) = responder.Split();
        var hello = new byte[5 + 16];
        initiatorSend.EncryptWithAd([], "hello"u8, hello);
        var world = new byte[5 + 16];
        responderSend.EncryptWithAd([], "world"u8, world);
        var plain = new byte[5];
        responderReceive.DecryptWithAd([], hello, plain);
        Assert.Equal("hello"u8.ToArray(), plain);
        initiatorReceive.DecryptWithAd([], world, plain);
        Assert.Equal("world"u8.ToArray(), plain);
        return (Hex(m1), Hex(m2), Hex(m3), Hex(initiator.HandshakeHash), Hex(hello), Hex(world));
    }

    [Fact]
    public void FixedKeys_GiveTheGoldenHandshakeAndTransportBytes()
    {
        var computed = Compute();
        Assert.Equal(Message1, computed.M1);
        Assert.Equal(Message2, computed.M2);
        Assert.Equal(Message3, computed.M3);
        Assert.Equal(HandshakeHash, computed.Hash);
        Assert.Equal(InitiatorFirst, computed.InitiatorFirst);
        Assert.Equal(ResponderFirst, computed.ResponderFirst);
        Assert.Equal(32, Message1.Length / 2);
        Assert.Equal(32 + 48 + 104 + 16, Message2.Length / 2);
        Assert.Equal(48 + 104 + 16, Message3.Length / 2);
    }

    [Fact]
    public void TamperedOrTruncatedMessages_Fail()
    {
        var m2 = Convert.FromHexString(Message2);
        m2[^1] ^= 1;
        using (var initiator = Initiator())
        {
            initiator.WriteMessage1([]);
            Assert.Throws<ProtocolViolationException>(() => initiator.ReadMessage2(m2));
        }
        using (var initiator = Initiator())
        {
            initiator.WriteMessage1([]);
            Assert.Throws<ProtocolViolationException>(() => initiator.ReadMessage2(Convert.FromHexString(Message2)[..90]));
        }
        using (var responder = Responder())
        {
            responder.ReadMessage1(Convert.FromHexString(Message1));
            responder.WriteMessage2([]);
            Assert.Throws<ProtocolViolationException>(() => responder.ReadMessage3(Convert.FromHexString(Message3)[..40]));
        }
    }

    [Fact]
    public void PayloadWithABadSignatureOrUnexpectedPeer_IsRejected()
    {
        var identity = Ed25519PrivateKey.FromSeed(Key(0xa1));
        var staticKey = X25519KeyPair.FromPrivateKey(Key(0x41));
        var payload = new NoiseSecurity(identity, staticKey).CreatePayload();
        Assert.Equal(identity.PublicKey, NoiseSecurity.VerifyPayload(payload, staticKey.PublicKey, identity.PeerId));
        var otherStatic = X25519KeyPair.FromPrivateKey(Key(0x42)).PublicKey;
        Assert.Throws<NoiseHandshakeException>(() => NoiseSecurity.VerifyPayload(payload, otherStatic, null));
        var stranger = Ed25519PrivateKey.FromSeed(Key(0x81)).PeerId;
        Assert.Throws<NoiseHandshakeException>(() => NoiseSecurity.VerifyPayload(payload, staticKey.PublicKey, stranger));
        var flipped = (byte[])payload.Clone();
        flipped[^3] ^= 0x10;
        Assert.Throws<NoiseHandshakeException>(() => NoiseSecurity.VerifyPayload(flipped, staticKey.PublicKey, null));
        Assert.Throws<NoiseHandshakeException>(() => NoiseSecurity.VerifyPayload([0xff, 0xff], staticKey.PublicKey, null));
    }

    private static NoiseXXHandshake Initiator() =>
        new(true, X25519KeyPair.FromPrivateKey(Key(0x01)), X25519KeyPair.FromPrivateKey(Key(0x21)));

    private static NoiseXXHandshake Responder() =>
        new(false, X25519KeyPair.FromPrivateKey(Key(0x41)), X25519KeyPair.FromPrivateKey(Key(0x61)));

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
