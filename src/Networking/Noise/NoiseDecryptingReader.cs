using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using P2P.Networking.Streams;

namespace P2P.Networking.Noise;

/// <summary>Decrypts whole frames from the socket into a plaintext buffer when the reader asks for data.</summary>
internal sealed class NoiseDecryptingReader(PipeReader inner, CipherState cipher) : PipeReader
{
    private readonly Pipe _plain = new(NoiseSecureChannel.BufferOptions);

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
