using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using P2P.Networking.Identity;
using P2P.Networking.Streams;

namespace P2P.Networking.Noise;

/// <summary>
/// The Noise transport phase over a raw pipe: frames of <c>u16BE len ‖ ciphertext ‖ tag</c>. Writes are
/// batched: everything buffered is encrypted straight into the socket's buffer and flushed once.
/// </summary>
public sealed class NoiseSecureChannel : IDuplexPipe, IAsyncDisposable
{
    /// <summary>Largest plaintext per Noise frame (65 535 − 16-byte tag).</summary>
    public const int MaxPlaintext = 65535 - CipherState.TagLength;

    private readonly IDuplexPipe _inner;
    private readonly CipherState _send;
    private readonly CipherState _receive;
    private readonly Pipe _plainIn = new(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, minimumSegmentSize: 65536, useSynchronizationContext: false));
    private readonly Pipe _plainOut = new(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, minimumSegmentSize: 65536, useSynchronizationContext: false));
    private readonly Task _readLoop;
    private readonly Task _writeLoop;

    internal NoiseSecureChannel(IDuplexPipe inner, CipherState send, CipherState receive, PublicKey remotePublicKey)
    {
        _inner = inner;
        _send = send;
        _receive = receive;
        RemotePublicKey = remotePublicKey;
        RemotePeer = remotePublicKey.ToPeerId();
        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    public PublicKey RemotePublicKey { get; }

    public PeerId RemotePeer { get; }

    public PipeReader Input => _plainIn.Reader;

    public PipeWriter Output => _plainOut.Writer;

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        var reader = _inner.Input;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryDecryptFrame(ref buffer))
                {
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                var flush = await _plainIn.Writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    break;
                }
                if (result.IsCompleted || result.IsCanceled)
                {
                    if (!buffer.IsEmpty)
                    {
                        throw new ProtocolViolationException("connection closed inside a noise frame");
                    }
                    break;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        await _plainIn.Writer.CompleteAsync(error).ConfigureAwait(false);
        await reader.CompleteAsync().ConfigureAwait(false);
    }

    private bool TryDecryptFrame(ref ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < 2)
        {
            return false;
        }
        Span<byte> lengthBytes = stackalloc byte[2];
        buffer.Slice(0, 2).CopyTo(lengthBytes);
        var length = BinaryPrimitives.ReadUInt16BigEndian(lengthBytes);
        if (buffer.Length < 2 + length)
        {
            return false;
        }
        if (length < CipherState.TagLength)
        {
            throw new ProtocolViolationException($"noise frame of {length} bytes is shorter than a tag");
        }
        var frame = buffer.Slice(2, length);
        var destination = _plainIn.Writer.GetSpan(length - CipherState.TagLength);
        int written;
        if (frame.IsSingleSegment)
        {
            written = _receive.DecryptWithAd([], frame.FirstSpan, destination);
        }
        else
        {
            var scratch = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                frame.CopyTo(scratch);
                written = _receive.DecryptWithAd([], scratch.AsSpan(0, length), destination);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
        _plainIn.Writer.Advance(written);
        buffer = buffer.Slice(2 + length);
        return true;
    }

    private async Task WriteLoopAsync()
    {
        Exception? error = null;
        var reader = _plainOut.Reader;
        var writer = _inner.Output;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    var chunk = buffer.Slice(0, Math.Min(buffer.Length, MaxPlaintext));
                    EncryptFrame(writer, chunk);
                    buffer = buffer.Slice(chunk.End);
                }
                reader.AdvanceTo(buffer.End);
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (result.IsCompleted || result.IsCanceled || flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        await reader.CompleteAsync(error).ConfigureAwait(false);
        await writer.CompleteAsync(error).ConfigureAwait(false);
    }

    private void EncryptFrame(PipeWriter writer, ReadOnlySequence<byte> chunk)
    {
        var length = (int)chunk.Length;
        var frameLength = length + CipherState.TagLength;
        var span = writer.GetSpan(2 + frameLength);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)frameLength);
        var body = span.Slice(2, frameLength);
        if (chunk.IsSingleSegment)
        {
            _send.EncryptWithAd([], chunk.FirstSpan, body);
        }
        else
        {
            chunk.CopyTo(body);
            _send.EncryptWithAd([], body[..length], body); // in place
        }
        writer.Advance(2 + frameLength);
    }

    /// <summary>Completes when both directions have stopped.</summary>
    public Task Completion => Task.WhenAll(_readLoop, _writeLoop);

    /// <summary>Completes when everything the user completed the output with has been written out.</summary>
    public Task WriteCompletion => _writeLoop;

    /// <summary>Stops both loops; the users of <see cref="Input"/> and <see cref="Output"/> complete their own ends.</summary>
    public async ValueTask DisposeAsync()
    {
        _plainOut.Reader.CancelPendingRead();
        Ignore(_inner.Input.CancelPendingRead);
        Ignore(_inner.Output.CancelPendingFlush);
        await Completion.ConfigureAwait(false);
        _send.Dispose();
        _receive.Dispose();
    }

    private static void Ignore(Action cancel)
    {
        try
        {
            cancel();
        }
        catch (ObjectDisposedException)
        {
            // the stream pipe already completed
        }
        catch (InvalidOperationException)
        {
        }
    }
}
