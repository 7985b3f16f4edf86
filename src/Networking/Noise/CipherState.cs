using System.Buffers.Binary;
using System.Security.Cryptography;
using P2P.Networking.Streams;

namespace P2P.Networking.Noise;

/// <summary>Noise CipherState with ChaCha20-Poly1305: a key and a 64-bit nonce counter, empty key = pass-through.</summary>
internal sealed class CipherState : IDisposable
{
    public const int TagLength = 16;
    private ChaCha20Poly1305? _aead;
    private ulong _nonce;

    public bool HasKey => _aead is not null;

    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        _aead?.Dispose();
        _aead = new ChaCha20Poly1305(key);
        _nonce = 0;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/> (length + 16); the two may be the same memory.</summary>
    public int EncryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (_aead is null)
        {
            plaintext.CopyTo(destination);
            return plaintext.Length;
        }
        Span<byte> nonce = stackalloc byte[12];
        WriteNonce(nonce, NextNonce());
        _aead.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, TagLength), ad);
        return plaintext.Length + TagLength;
    }

    /// <summary>Decrypts and authenticates <paramref name="ciphertext"/> (with its tag) into <paramref name="destination"/>.</summary>
    /// <exception cref="ProtocolViolationException">authentication failed or the message is shorter than a tag.</exception>
    public int DecryptWithAd(ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        if (_aead is null)
        {
            ciphertext.CopyTo(destination);
            return ciphertext.Length;
        }
        if (ciphertext.Length < TagLength)
        {
            throw new ProtocolViolationException("noise ciphertext shorter than its tag");
        }
        var length = ciphertext.Length - TagLength;
        Span<byte> nonce = stackalloc byte[12];
        WriteNonce(nonce, NextNonce());
        try
        {
            _aead.Decrypt(nonce, ciphertext[..length], ciphertext[length..], destination[..length], ad);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ProtocolViolationException("noise message failed authentication", e);
        }
        return length;
    }

    private ulong NextNonce()
    {
        if (_nonce == ulong.MaxValue)
        {
            throw new ProtocolViolationException("noise nonce exhausted");
        }
        return _nonce++;
    }

    private static void WriteNonce(Span<byte> nonce, ulong counter)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], counter);
    }

    public void Dispose() => _aead?.Dispose();
}
