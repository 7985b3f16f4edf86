using System.Buffers;
using System.IO.Pipelines;

namespace P2P.Networking.Yamux;

/// <summary>
/// A yamux stream's output: buffers what the application writes and, on each flush, sends it as Data
/// frames from the caller's task (no send loop, no extra hop). Completing it sends what is left and FIN.
/// </summary>
internal sealed class FramingWriter(YamuxStream stream) : PipeWriter
{
    private static readonly PipeOptions BufferOptions = new(pauseWriterThreshold: 0, minimumSegmentSize: 16384, useSynchronizationContext: false);

    private readonly Pipe _buffer = new(BufferOptions);
    private CancellationTokenSource? _flushCancel;
    private int _completed;

    public override void Advance(int bytes) => _buffer.Writer.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer.Writer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _buffer.Writer.GetSpan(sizeHint);

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _buffer.Writer.UnflushedBytes;

    public override void CancelPendingFlush() => Volatile.Read(ref _flushCancel)?.Cancel();

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => SendAsync(default, cancellationToken);

    /// <summary>With nothing buffered, sends <paramref name="source"/> straight from the caller's memory (no copy into the buffer).</summary>
    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (source.IsEmpty || _buffer.Writer.UnflushedBytes > 0 || Volatile.Read(ref _completed) != 0)
        {
            return base.WriteAsync(source, cancellationToken); // buffered bytes must go first
        }
        return SendAsync(source, cancellationToken);
    }

    /// <summary>Sends <paramref name="direct"/> when given, else what is buffered.</summary>
    private async ValueTask<FlushResult> SendAsync(ReadOnlyMemory<byte> direct, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _completed) != 0)
        {
            return new FlushResult(isCanceled: false, isCompleted: true);
        }
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Volatile.Write(ref _flushCancel, cancel);
        try
        {
            if (direct.IsEmpty)
            {
                await SendBufferedAsync(cancel.Token).ConfigureAwait(false);
            }
            else
            {
                await stream.SendAsync(new ReadOnlySequence<byte>(direct), cancel.Token).ConfigureAwait(false);
            }
            return new FlushResult(isCanceled: false, isCompleted: stream.IsReset);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new FlushResult(isCanceled: true, isCompleted: false);
        }
        finally
        {
            Volatile.Write(ref _flushCancel, null);
        }
    }

    private async ValueTask SendBufferedAsync(CancellationToken cancellationToken)
    {
        _ = _buffer.Writer.FlushAsync(CancellationToken.None); // no pause threshold: synchronous
        if (!_buffer.Reader.TryRead(out var result) || result.Buffer.IsEmpty)
        {
            if (result.Buffer.IsEmpty && !result.IsCompleted)
            {
                _buffer.Reader.AdvanceTo(result.Buffer.Start);
            }
            return;
        }
        try
        {
            await stream.SendAsync(result.Buffer, cancellationToken).ConfigureAwait(false);
            _buffer.Reader.AdvanceTo(result.Buffer.End);
        }
        catch
        {
            _buffer.Reader.AdvanceTo(result.Buffer.End); // a failed stream drops what it could not send
            throw;
        }
    }

    public override void Complete(Exception? exception = null) => _ = CompleteAsync(exception).AsTask();

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            await stream.WriteCompletion.ConfigureAwait(false);
            return;
        }
        if (exception is null && !stream.IsReset)
        {
            try
            {
                await SendBufferedAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
        else if (exception is not null)
        {
            stream.Reset();
        }
        await _buffer.Writer.CompleteAsync().ConfigureAwait(false);
        await _buffer.Reader.CompleteAsync().ConfigureAwait(false);
        await stream.FinishSendingAsync().ConfigureAwait(false);
    }
}
