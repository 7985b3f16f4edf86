using System.Security.Cryptography;
using P2P.Work;
using P2P.Work.Tests.Support;

namespace P2P.Work.Tests;

/// <summary>docs/work-function.md §2.1: the weight PRF is RFC 8439 ChaCha20, checked against the BCL's ChaCha20-Poly1305.</summary>
public class ChaCha20KeystreamTests
{
    [BclChaChaTheory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64 * 8)]
    [InlineData(64 * 8 * 3 + 37)]
    public void Section2_1_KeystreamEqualsTheBclChaCha20Poly1305Cipher(int length)
    {
        var key = new byte[32];
        var nonce = new byte[12];
        new Random(length).NextBytes(key);
        new Random(length + 1).NextBytes(nonce);

        // The AEAD encrypts with the keystream from block counter 1 (block 0 keys Poly1305): encrypting zeros reveals it.
        var expected = new byte[length];
        var tag = new byte[16];
        using (var aead = new ChaCha20Poly1305(key))
            aead.Encrypt(nonce, new byte[length], expected, tag);

        var actual = new byte[length];
        ChaCha20Keystream.Fill(key, nonce, actual, initialCounter: 1);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Section2_1_Rfc8439BlockFunctionVector()
    {
        // RFC 8439 §2.3.2: key 00..1f, nonce 00 00 00 09 00 00 00 4a 00 00 00 00, block counter 1.
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var nonce = Convert.FromHexString("000000090000004a00000000");
        var block = new byte[64];
        ChaCha20Keystream.Fill(key, nonce, block, initialCounter: 1);
        Assert.Equal(
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4ed2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
            Convert.ToHexStringLower(block));
    }
}
