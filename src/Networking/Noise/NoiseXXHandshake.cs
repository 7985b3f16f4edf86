using P2P.Networking.Streams;

namespace P2P.Networking.Noise;

/// <summary>
/// The Noise XX pattern (<c>-> e</c>, <c>&lt;- e, ee, s, es</c>, <c>-> s, se</c>) as pure message transforms,
/// so fixed keys give fixed bytes (golden vectors) and I/O stays elsewhere.
/// </summary>
internal sealed class NoiseXXHandshake : IDisposable
{
    private const int KeyLength = X25519KeyPair.KeyLength;
    private const int EncryptedKeyLength = KeyLength + CipherState.TagLength;
    private readonly SymmetricState _state = new();
    private readonly X25519KeyPair _static;
    private readonly X25519KeyPair _ephemeral;
    private byte[]? _remoteEphemeral;

    public NoiseXXHandshake(bool initiator, X25519KeyPair staticKey, X25519KeyPair? ephemeralKey = null)
    {
        IsInitiator = initiator;
        _static = staticKey;
        _ephemeral = ephemeralKey ?? X25519KeyPair.Generate();
    }

    public bool IsInitiator { get; }

    /// <summary>The remote static X25519 key, known after message 2 (initiator) or 3 (responder).</summary>
    public byte[]? RemoteStaticKey { get; private set; }

    public ReadOnlySpan<byte> HandshakeHash => _state.HandshakeHash;

    /// <summary>Initiator: <c>e</c> plus an (unencrypted, normally empty) payload.</summary>
    public byte[] WriteMessage1(ReadOnlySpan<byte> payload)
    {
        _state.MixHash(_ephemeral.PublicKey);
        return [.. _ephemeral.PublicKey, .. _state.EncryptAndHash(payload)];
    }

    public byte[] ReadMessage1(ReadOnlySpan<byte> message)
    {
        if (message.Length < KeyLength)
        {
            throw new ProtocolViolationException($"noise message 1 of {message.Length} bytes");
        }
        _remoteEphemeral = message[..KeyLength].ToArray();
        _state.MixHash(_remoteEphemeral);
        return _state.DecryptAndHash(message[KeyLength..]);
    }

    /// <summary>Responder: <c>e, ee, s, es</c> plus the encrypted payload.</summary>
    public byte[] WriteMessage2(ReadOnlySpan<byte> payload)
    {
        var remoteEphemeral = _remoteEphemeral ?? throw new InvalidOperationException("message 1 not read");
        _state.MixHash(_ephemeral.PublicKey);
        _state.MixKey(_ephemeral.Agree(remoteEphemeral));
        var encryptedStatic = _state.EncryptAndHash(_static.PublicKey);
        _state.MixKey(_static.Agree(remoteEphemeral));
        return [.. _ephemeral.PublicKey, .. encryptedStatic, .. _state.EncryptAndHash(payload)];
    }

    public byte[] ReadMessage2(ReadOnlySpan<byte> message)
    {
        if (message.Length < KeyLength + EncryptedKeyLength + CipherState.TagLength)
        {
            throw new ProtocolViolationException($"noise message 2 of {message.Length} bytes");
        }
        _remoteEphemeral = message[..KeyLength].ToArray();
        _state.MixHash(_remoteEphemeral);
        _state.MixKey(_ephemeral.Agree(_remoteEphemeral));
        RemoteStaticKey = _state.DecryptAndHash(message.Slice(KeyLength, EncryptedKeyLength));
        _state.MixKey(_ephemeral.Agree(RemoteStaticKey));
        return _state.DecryptAndHash(message[(KeyLength + EncryptedKeyLength)..]);
    }

    /// <summary>Initiator: <c>s, se</c> plus the encrypted payload.</summary>
    public byte[] WriteMessage3(ReadOnlySpan<byte> payload)
    {
        var remoteEphemeral = _remoteEphemeral ?? throw new InvalidOperationException("message 2 not read");
        var encryptedStatic = _state.EncryptAndHash(_static.PublicKey);
        _state.MixKey(_static.Agree(remoteEphemeral));
        return [.. encryptedStatic, .. _state.EncryptAndHash(payload)];
    }

    public byte[] ReadMessage3(ReadOnlySpan<byte> message)
    {
        if (message.Length < EncryptedKeyLength + CipherState.TagLength)
        {
            throw new ProtocolViolationException($"noise message 3 of {message.Length} bytes");
        }
        RemoteStaticKey = _state.DecryptAndHash(message[..EncryptedKeyLength]);
        _state.MixKey(_ephemeral.Agree(RemoteStaticKey));
        return _state.DecryptAndHash(message[EncryptedKeyLength..]);
    }

    /// <summary>Transport ciphers for (sending, receiving) from this side's point of view.</summary>
    public (CipherState Send, CipherState Receive) Split()
    {
        var (first, second) = _state.Split();
        return IsInitiator ? (first, second) : (second, first);
    }

    public void Dispose() => _state.Dispose();
}
