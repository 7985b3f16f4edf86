using System.Buffers.Binary;
using System.IO.Pipelines;

namespace P2P.Networking.Noise;

/// <summary>
/// Hands out memory inside the socket writer's own buffer, at the plaintext position of an open Noise
/// frame; sealing the frame (when full, or on flush) encrypts it in place and writes its length and tag.
/// Plaintext is never copied. A span handed out holds at most <see cref="NoiseSecureChannel.MaxPlaintext"/> bytes.
/// </summary>
internal sealed class NoiseEncryptingWriter(PipeWriter inner, CipherState cipher) : PipeWriter
{
    private const int LengthPrefix = 2;
    private const int FrameCapacity = LengthPrefix + NoiseSecureChannel.MaxPlaintext + CipherState.TagLength;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Memory<byte> _frame; // the open frame in the socket buffer, empty when none is open
    private int _length; // plaintext bytes in the open frame

    public Task Completion => _completion.Task;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        var wanted = Math.Clamp(sizeHint, 1, NoiseSecureChannel.MaxPlaintext);
        if (!_frame.IsEmpty && NoiseSecureChannel.MaxPlaintext - _length < wanted)
        {
            Seal();
        }
        if (_frame.IsEmpty)
        {
            _frame = inner.GetMemory(FrameCapacity)[..FrameCapacity];
            _length = 0;
        }
        return _frame.Slice(LengthPrefix + _length, NoiseSecureChannel.MaxPlaintext - _length);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (bytes < 0 || _frame.IsEmpty && bytes > 0 || _length + bytes > NoiseSecureChannel.MaxPlaintext)
        {
            throw new InvalidOperationException($"advanced {bytes} bytes past the memory handed out");
        }
        _length += bytes;
        if (_length == NoiseSecureChannel.MaxPlaintext)
        {
            Seal();
        }
    }

    /// <summary>
    /// Writes <paramref name="source"/> and flushes. Whole frames are encrypted straight from the caller's memory into
    /// the socket buffer; only the part that tops up an already open frame (e.g. behind a yamux header) is copied.
    /// </summary>
    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var remaining = source.Span;
        if (!_frame.IsEmpty && _length > 0 && !remaining.IsEmpty)
        {
            var top = Math.Min(remaining.Length, NoiseSecureChannel.MaxPlaintext - _length);
            remaining[..top].CopyTo(_frame.Span.Slice(LengthPrefix + _length));
            Advance(top);
            remaining = remaining[top..];
        }
        if (!remaining.IsEmpty)
        {
            Seal();
        }
        while (!remaining.IsEmpty)
        {
            var length = Math.Min(remaining.Length, NoiseSecureChannel.MaxPlaintext);
            var frame = inner.GetSpan(FrameCapacity);
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)(length + CipherState.TagLength));
            cipher.EncryptWithAd([], remaining[..length], frame.Slice(LengthPrefix, length + CipherState.TagLength));
            inner.Advance(LengthPrefix + length + CipherState.TagLength);
            remaining = remaining[length..];
        }
        return FlushAsync(cancellationToken);
    }

    /// <summary>Encrypts the open frame in place and commits it to the socket writer.</summary>
    private void Seal()
    {
        if (_frame.IsEmpty)
        {
            return;
        }
        var span = _frame.Span;
        var frameLength = _length + CipherState.TagLength;
        if (_length > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)frameLength);
            var body = span.Slice(LengthPrefix, frameLength);
            cipher.EncryptWithAd([], body[.._length], body);
            inner.Advance(LengthPrefix + frameLength);
        }
        _frame = default;
        _length = 0;
    }

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

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Seal();
        return inner.FlushAsync(cancellationToken);
    }

    public override void Complete(Exception? exception = null)
    {
        try
        {
            if (exception is null)
            {
                Seal();
            }
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
