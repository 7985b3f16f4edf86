using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace P2P.Networking.Noise;

/// <summary>Buffers plaintext; each flush encrypts it in frames directly into the socket's buffer.</summary>
internal sealed class NoiseEncryptingWriter(PipeWriter inner, CipherState cipher) : PipeWriter
{
    private readonly Pipe _plain = new(NoiseSecureChannel.BufferOptions);
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
            var chunk = buffer.Slice(0, Math.Min(buffer.Length, NoiseSecureChannel.MaxPlaintext));
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
