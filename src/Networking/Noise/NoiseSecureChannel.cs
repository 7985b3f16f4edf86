using System.IO.Pipelines;
using P2P.Networking.Identity;

namespace P2P.Networking.Noise;

/// <summary>
/// The Noise transport phase over a raw pipe: frames of <c>u16BE len ‖ ciphertext ‖ tag</c>. There is no
/// pump task: reading decrypts on the reader's own call, and flushing encrypts what was written straight
/// into the socket's buffer, so no thread hop is added on either path.
/// </summary>
public sealed class NoiseSecureChannel : IDuplexPipe, IAsyncDisposable
{
    /// <summary>Largest plaintext per Noise frame (65 535 − 16-byte tag).</summary>
    public const int MaxPlaintext = 65535 - CipherState.TagLength;

    private readonly NoiseDecryptingReader _reader;
    private readonly NoiseEncryptingWriter _writer;
    private readonly CipherState _send;
    private readonly CipherState _receive;

    internal NoiseSecureChannel(IDuplexPipe inner, CipherState send, CipherState receive, PublicKey remotePublicKey)
    {
        _send = send;
        _receive = receive;
        _reader = new NoiseDecryptingReader(inner.Input, receive);
        _writer = new NoiseEncryptingWriter(inner.Output, send);
        RemotePublicKey = remotePublicKey;
        RemotePeer = remotePublicKey.ToPeerId();
    }

    public PublicKey RemotePublicKey { get; }

    public PeerId RemotePeer { get; }

    public PipeReader Input => _reader;

    public PipeWriter Output => _writer;

    /// <summary>Completes when the output has been completed (everything before it was flushed to the socket).</summary>
    public Task WriteCompletion => _writer.Completion;

    /// <summary>Releases the cipher keys; call after both users are done with the pipes.</summary>
    public ValueTask DisposeAsync()
    {
        _send.Dispose();
        _receive.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static readonly PipeOptions BufferOptions = new(pauseWriterThreshold: 0, minimumSegmentSize: 65536, useSynchronizationContext: false);
}
