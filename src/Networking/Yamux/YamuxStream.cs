using System.Buffers;
using System.IO.Pipelines;
using P2P.Networking.Streams;

namespace P2P.Networking.Yamux;

/// <summary>
/// One yamux stream. Received data goes into an input pipe whose reader reports consumption, which
/// drives window updates (and window growth); flushing the output sends Data frames from the writer's own
/// task, waiting for send window when the remote has none left.
/// </summary>
public sealed class YamuxStream : IDuplexPipe
{
    private static readonly PipeOptions InputOptions = new(pauseWriterThreshold: 0, minimumSegmentSize: 16384, useSynchronizationContext: false);

    private const int MaxInputSegment = 256 * 1024;

    private readonly YamuxSession _session;
    private readonly Pipe _input = new(InputOptions);
    private readonly FramingWriter _writer;
    private readonly FlowControlledReader _reader;
    private readonly SemaphoreSlim _windowSignal = new(0, 1);
    private readonly CancellationTokenSource _aborted = new();
    private readonly TaskCompletionSource _sendDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private long _sendWindow = YamuxOptions.InitialWindow;
    private long _receiveWindow = YamuxOptions.InitialWindow; // what the remote may still send
    private long _receiveWindowSize = YamuxOptions.InitialWindow; // the window we aim to offer
    private long _consumedSinceUpdate;
    private long _unread; // in the input pipe, not yet consumed by the application
    private bool _remoteClosed;
    private bool _localClosed;
    private bool _inputDropped;
    private bool _reset;

    internal YamuxStream(YamuxSession session, uint id, bool outbound)
    {
        _session = session;
        Id = id;
        IsOutbound = outbound;
        _reader = new FlowControlledReader(_input.Reader, this);
        _writer = new FramingWriter(this);
    }

    public uint Id { get; }

    public bool IsOutbound { get; }

    public PipeReader Input => _reader;

    public PipeWriter Output => _writer;

    /// <summary>Completes when our write side has sent FIN (or the stream was reset).</summary>
    public Task WriteCompletion => _sendDone.Task;

    public bool IsReset => Volatile.Read(ref _reset);

    /// <summary>Called once when the session forgets the stream (both sides closed, or reset).</summary>
    public Action? Removed { get; set; }

    internal void AcknowledgeInbound()
    {
        _session.SendControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, Id, 0));
    }

    /// <summary>Half-closes our side once buffered data is sent.</summary>
    public async ValueTask CloseWriteAsync()
    {
        await _writer.CompleteAsync().ConfigureAwait(false);
        await _sendDone.Task.ConfigureAwait(false);
    }

    /// <summary>Aborts both directions and tells the remote (RST).</summary>
    public void Reset()
    {
        if (Abort(new IOException("stream reset locally")))
        {
            _session.SendControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, Id, 0));
        }
    }

    internal void Receive(ReadOnlySequence<byte> payload)
    {
        long discarded = 0;
        lock (_gate)
        {
            if (payload.Length > _receiveWindow)
            {
                throw new ProtocolViolationException($"yamux stream {Id}: {payload.Length} bytes overrun the receive window of {_receiveWindow}");
            }
            _receiveWindow -= payload.Length;
            if (_remoteClosed || _reset)
            {
                return; // data after FIN or RST is dropped
            }
            if (_inputDropped)
            {
                discarded = payload.Length;
            }
        }
        if (discarded > 0)
        {
            // Nobody reads any more: treat the bytes as consumed so the remote is not stalled.
            GrantWindow(discarded);
            return;
        }
        lock (_gate)
        {
            var received = payload.Length;
            // One segment sized to the frame (up to 256 KiB) instead of many small ones: fewer pooled arrays in flight.
            while (!payload.IsEmpty)
            {
                var destination = _input.Writer.GetSpan((int)Math.Min(payload.Length, MaxInputSegment));
                var count = (int)Math.Min(payload.Length, destination.Length);
                payload.Slice(0, count).CopyTo(destination);
                _input.Writer.Advance(count);
                payload = payload.Slice(count);
            }
            _unread += received;
            // Completes synchronously: the input pipe has no pause threshold; the window bounds it instead.
            _ = _input.Writer.FlushAsync();
        }
    }

    internal void ApplyFlags(YamuxFlags flags)
    {
        if ((flags & YamuxFlags.Rst) != 0)
        {
            Abort(new IOException("stream reset by the remote"));
            return;
        }
        if ((flags & YamuxFlags.Fin) != 0)
        {
            bool done;
            lock (_gate)
            {
                if (_remoteClosed)
                {
                    return;
                }
                _remoteClosed = true;
                done = _localClosed;
            }
            _input.Writer.Complete();
            if (done)
            {
                _session.RemoveStream(this);
            }
        }
    }

    internal void GrowSendWindow(uint delta)
    {
        if (delta == 0)
        {
            return;
        }
        lock (_gate)
        {
            _sendWindow = Math.Min(_sendWindow + delta, uint.MaxValue);
        }
        if (_windowSignal.CurrentCount == 0)
        {
            try
            {
                _windowSignal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    /// <summary>Called by the input reader: bytes the application has examined for the first time (consumed or not).</summary>
    internal void OnExamined(long count)
    {
        lock (_gate)
        {
            _unread = Math.Max(0, _unread - count);
        }
        GrantWindow(count);
    }

    /// <summary>Gives the remote window back for bytes that left our buffers; grows the window on the way.</summary>
    private void GrantWindow(long count)
    {
        uint delta;
        lock (_gate)
        {
            _consumedSinceUpdate += count;
            if (_remoteClosed || _reset || _consumedSinceUpdate < _receiveWindowSize / 2)
            {
                return;
            }
            // The reader keeps up: offer a bigger window, up to the maximum.
            var grown = Math.Min(_receiveWindowSize * 2, _session.Options.MaxWindow);
            delta = (uint)(_consumedSinceUpdate + grown - _receiveWindowSize);
            _receiveWindowSize = grown;
            _receiveWindow += delta;
            _consumedSinceUpdate = 0;
        }
        _session.SendControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.None, Id, delta));
    }

    internal void OnInputCompleted()
    {
        long unread;
        lock (_gate)
        {
            _inputDropped = true;
            unread = _unread;
            _unread = 0;
        }
        if (unread > 0)
        {
            GrantWindow(unread); // what was buffered but never read is dropped with the reader
        }
    }

    /// <summary>Fails both directions locally; returns false when already finished.</summary>
    internal bool Abort(Exception reason)
    {
        lock (_gate)
        {
            if (_reset || (_localClosed && _remoteClosed))
            {
                return false;
            }
            _reset = true;
            _remoteClosed = true;
            _localClosed = true;
        }
        _aborted.Cancel();
        _input.Writer.Complete(reason);
        _session.RemoveStream(this);
        _sendDone.TrySetResult();
        return true;
    }

    /// <summary>Sends <paramref name="data"/> as Data frames within the send window (called by the output writer).</summary>
    internal async ValueTask SendAsync(ReadOnlySequence<byte> data, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _aborted.Token);
        try
        {
            while (!data.IsEmpty)
            {
                var window = await WaitForWindowAsync(linked.Token).ConfigureAwait(false);
                var chunk = data.Slice(0, Math.Min(Math.Min(data.Length, window), _session.Options.MaxFrameSize));
                lock (_gate)
                {
                    _sendWindow -= chunk.Length;
                }
                await _session.WriteFrameAsync(new YamuxHeader(YamuxFrameType.Data, YamuxFlags.None, Id, (uint)chunk.Length), chunk, linked.Token).ConfigureAwait(false);
                data = data.Slice(chunk.End);
            }
        }
        catch (OperationCanceledException) when (_aborted.IsCancellationRequested)
        {
            throw new IOException("stream reset");
        }
        catch (IOException e)
        {
            Abort(e);
            throw;
        }
    }

    /// <summary>Sends FIN once (called when the output writer completes); never throws.</summary>
    internal async ValueTask FinishSendingAsync()
    {
        try
        {
            if (!IsReset)
            {
                await _session.WriteFrameAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, Id, 0), default, _aborted.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            Abort(e is IOException ? e : new IOException("stream FIN failed", e));
        }
        bool done;
        lock (_gate)
        {
            _localClosed = true;
            done = _remoteClosed;
        }
        if (done)
        {
            _session.RemoveStream(this);
        }
        _sendDone.TrySetResult();
    }

    private async ValueTask<long> WaitForWindowAsync(CancellationToken token)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_sendWindow > 0)
                {
                    return _sendWindow;
                }
            }
            await _windowSignal.WaitAsync(token).ConfigureAwait(false);
        }
    }
}
