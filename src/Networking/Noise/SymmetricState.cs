using System.Security.Cryptography;

namespace P2P.Networking.Noise;

/// <summary>Noise SymmetricState over SHA-256 and HKDF (RFC 5869, salt = chaining key, empty info).</summary>
internal sealed class SymmetricState : IDisposable
{
    public const string ProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";
    private readonly byte[] _ck = new byte[32];
    private readonly byte[] _h = new byte[32];
    private readonly CipherState _cipher = new();

    public SymmetricState()
    {
        // The name is exactly 32 bytes, so h is the name itself (no hashing).
        System.Text.Encoding.ASCII.GetBytes(ProtocolName, _h);
        _h.CopyTo(_ck, 0);
        MixHash([]); // empty prologue
    }

    public ReadOnlySpan<byte> HandshakeHash => _h;

    public void MixHash(ReadOnlySpan<byte> data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(_h);
        sha.AppendData(data);
        sha.GetHashAndReset(_h);
    }

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> output = stackalloc byte[64];
        Hkdf(_ck, inputKeyMaterial, output);
        output[..32].CopyTo(_ck);
        _cipher.InitializeKey(output[32..]);
        CryptographicOperations.ZeroMemory(output);
    }

    public byte[] EncryptAndHash(ReadOnlySpan<byte> plaintext)
    {
        var ciphertext = new byte[plaintext.Length + (_cipher.HasKey ? CipherState.TagLength : 0)];
        _cipher.EncryptWithAd(_h, plaintext, ciphertext);
        MixHash(ciphertext);
        return ciphertext;
    }

    public byte[] DecryptAndHash(ReadOnlySpan<byte> ciphertext)
    {
        var plaintext = new byte[Math.Max(0, ciphertext.Length - (_cipher.HasKey ? CipherState.TagLength : 0))];
        _cipher.DecryptWithAd(_h, ciphertext, plaintext);
        MixHash(ciphertext);
        return plaintext;
    }

    /// <summary>The two transport ciphers: (initiator→responder, responder→initiator).</summary>
    public (CipherState First, CipherState Second) Split()
    {
        Span<byte> output = stackalloc byte[64];
        Hkdf(_ck, [], output);
        var first = new CipherState();
        first.InitializeKey(output[..32]);
        var second = new CipherState();
        second.InitializeKey(output[32..]);
        CryptographicOperations.ZeroMemory(output);
        return (first, second);
    }

    /// <summary>
    /// Noise's HKDF with two outputs (RFC 5869 with empty info), written out with HMAC because the
    /// platform HKDF rejects the empty input key material that Split uses.
    /// </summary>
    internal static void Hkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output)
    {
        Span<byte> prk = stackalloc byte[32];
        HMACSHA256.HashData(chainingKey, inputKeyMaterial, prk);
        Span<byte> block = stackalloc byte[33];
        block[0] = 1;
        HMACSHA256.HashData(prk, block[..1], output[..32]);
        output[..32].CopyTo(block);
        block[32] = 2;
        HMACSHA256.HashData(prk, block, output[32..64]);
        CryptographicOperations.ZeroMemory(prk);
    }

    public void Dispose() => _cipher.Dispose();
}
