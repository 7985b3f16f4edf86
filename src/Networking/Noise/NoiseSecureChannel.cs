using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using P2P.Networking.Identity;
using P2P.Networking.Streams;

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

    private readonly DecryptingReader _reader;
    private readonly EncryptingWriter _writer;
    private readonly CipherState _send;
    private readonly CipherState _receive;

    internal NoiseSecureChannel(IDuplexPipe inner, CipherState send, CipherState receive, PublicKey remotePublicKey)
    {
        _send = send;
        _receive = receive;
        _reader = new DecryptingReader(inner.Input, receive);
        _writer = new EncryptingWriter(inner.Output, send);
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

    private static readonly PipeOptions BufferOptions = new(pauseWriterThreshold: 0, minimumSegmentSize: 65536, useSynchronizationContext: false);

    /// <summary>Decrypts whole frames from the socket into a plaintext buffer when the reader asks for data.</summary>
    private sealed class DecryptingReader(PipeReader inner, CipherState cipher) : PipeReader
    {
        private readonly Pipe _plain = new(BufferOptions);

        public override bool TryRead(out ReadResult result) => _plain.Reader.TryRead(out result);

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                if (_plain.Reader.TryRead(out var ready))
                {
                    return ready;
                }
                var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    inner.AdvanceTo(result.Buffer.Start);
                    _plain.Reader.CancelPendingRead();
                    continue;
                }
                var buffer = result.Buffer;
                try
                {
                    while (TryDecryptFrame(ref buffer))
                    {
                    }
                    if (result.IsCompleted && !buffer.IsEmpty)
                    {
                        throw new ProtocolViolationException("connection closed inside a noise frame");
                    }
                }
                catch (ProtocolViolationException e)
                {
                    inner.AdvanceTo(result.Buffer.End);
                    await _plain.Writer.CompleteAsync(e).ConfigureAwait(false);
                    continue;
                }
                inner.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    await _plain.Writer.CompleteAsync().ConfigureAwait(false);
                }
                else
                {
                    await _plain.Writer.FlushAsync(CancellationToken.None).ConfigureAwait(false); // no pause threshold: synchronous
                }
            }
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
            var destination = _plain.Writer.GetSpan(length - CipherState.TagLength);
            int written;
            if (frame.IsSingleSegment)
            {
                written = cipher.DecryptWithAd([], frame.FirstSpan, destination);
            }
            else
            {
                var scratch = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    frame.CopyTo(scratch);
                    written = cipher.DecryptWithAd([], scratch.AsSpan(0, length), destination);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(scratch);
                }
            }
            _plain.Writer.Advance(written);
            buffer = buffer.Slice(2 + length);
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed) => _plain.Reader.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _plain.Reader.AdvanceTo(consumed, examined);

        public override void CancelPendingRead()
        {
            _plain.Reader.CancelPendingRead();
            try
            {
                inner.CancelPendingRead();
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
            {
            }
        }

        public override void Complete(Exception? exception = null)
        {
            _plain.Reader.Complete(exception);
            _plain.Writer.Complete();
            inner.Complete(exception);
        }
    }

    /// <summary>Buffers plaintext; each flush encrypts it in frames directly into the socket's buffer.</summary>
    private sealed class EncryptingWriter(PipeWriter inner, CipherState cipher) : PipeWriter
    {
        private readonly Pipe _plain = new(BufferOptions);
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completion => _completion.Task;

        public override void Advance(int bytes) => _plain.Writer.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => _plain.Writer.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _plain.Writer.GetSpan(sizeHint);

        public override void CancelPendingFlush()
        {
            try
            {
                inner.CancelPendingFlush();
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
            {
            }
        }

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            EncryptPending();
            return await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        private void EncryptPending()
        {
            _ = _plain.Writer.FlushAsync(CancellationToken.None); // no pause threshold: synchronous
            if (!_plain.Reader.TryRead(out var result))
            {
                return;
            }
            var buffer = result.Buffer;
            while (!buffer.IsEmpty)
            {
                var chunk = buffer.Slice(0, Math.Min(buffer.Length, MaxPlaintext));
                EncryptFrame(chunk);
                buffer = buffer.Slice(chunk.End);
            }
            _plain.Reader.AdvanceTo(result.Buffer.End);
        }

        private void EncryptFrame(ReadOnlySequence<byte> chunk)
        {
            var length = (int)chunk.Length;
            var frameLength = length + CipherState.TagLength;
            var span = inner.GetSpan(2 + frameLength);
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)frameLength);
            var body = span.Slice(2, frameLength);
            if (chunk.IsSingleSegment)
            {
                cipher.EncryptWithAd([], chunk.FirstSpan, body);
            }
            else
            {
                chunk.CopyTo(body);
                cipher.EncryptWithAd([], body[..length], body); // in place
            }
            inner.Advance(2 + frameLength);
        }

        public override void Complete(Exception? exception = null)
        {
            try
            {
                if (exception is null)
                {
                    EncryptPending();
                }
                _plain.Writer.Complete();
                _plain.Reader.Complete();
                inner.Complete(exception);
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or IOException)
            {
            }
            finally
            {
                _completion.TrySetResult();
            }
        }
    }
}
