using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Core;
using P2P.Networking.Streams;

namespace P2P.Networking.Yamux;

/// <summary>
/// A yamux session over a secured pipe: one read loop dispatching frames to streams, frame writes
/// serialised by a lock, keep-alive pings, GoAway. Any protocol violation closes the whole session.
/// </summary>
public sealed class YamuxSession : IAsyncDisposable
{
    public const string ProtocolId = "/yamux/1.0.0";

    private readonly IDuplexPipe _pipe;
    private readonly YamuxOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<uint, YamuxStream> _streams = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<uint, TaskCompletionSource> _pendingPings = new();
    /// <summary>Control frames (acks, window updates, pong, resets) queued behind the write lock at most.</summary>
    private const int MaxPendingControlFrames = 16384;
    private int _pendingControl;
    private uint _nextStreamId;
    private uint _nextPingId;
    private int _inboundCount;
    private int _outboundCount;
    private volatile bool _remoteGoAway;
    private int _closed;
    private Task? _readLoop;
    private Task? _keepAlive;

    public YamuxSession(IDuplexPipe pipe, bool isClient, YamuxOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        _pipe = pipe;
        IsClient = isClient;
        _options = options ?? new YamuxOptions();
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _nextStreamId = isClient ? 1u : 2u;
    }

    public bool IsClient { get; }

    internal YamuxOptions Options => _options;

    /// <summary>Called for each stream the remote opens (already acknowledged).</summary>
    public Action<YamuxStream>? InboundStream { get; set; }

    /// <summary>Called with each keep-alive round-trip time.</summary>
    public Action<TimeSpan>? RoundTripMeasured { get; set; }

    /// <summary>Why the session closed (null while open or after a clean close).</summary>
    public string? CloseReason { get; private set; }

    /// <summary>Completes when the session has closed.</summary>
    public Task Completion => _completion.Task;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public int StreamCount => _streams.Count;

    public IReadOnlyCollection<YamuxStream> Streams => _streams.Values.ToArray();

    public void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        if (_options.KeepAliveInterval > TimeSpan.Zero)
        {
            _keepAlive = Task.Run(KeepAliveLoopAsync);
        }
    }

    /// <summary>Opens a stream (WindowUpdate|SYN); data may follow before the remote's ACK.</summary>
    public async Task<YamuxStream> OpenStreamAsync(CancellationToken cancellationToken)
    {
        if (IsClosed || _remoteGoAway)
        {
            throw new IOException("yamux session is closed or going away");
        }
        if (Interlocked.Increment(ref _outboundCount) > _options.MaxOutboundStreams)
        {
            Interlocked.Decrement(ref _outboundCount);
            throw new IOException($"more than {_options.MaxOutboundStreams} outbound streams");
        }
        var id = Interlocked.Add(ref _nextStreamId, 2) - 2;
        var stream = new YamuxStream(this, id, outbound: true);
        _streams[id] = stream;
        await WriteFrameAsync(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, id, 0), default, cancellationToken).ConfigureAwait(false);
        return stream;
    }

    /// <summary>Sends a ping and waits for its ACK.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextPingId);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingPings[id] = answered;
        try
        {
            var started = _time.GetTimestamp();
            await WriteFrameAsync(new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Syn, 0, id), default, cancellationToken).ConfigureAwait(false);
            await answered.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            var rtt = _time.GetElapsedTime(started);
            RoundTripMeasured?.Invoke(rtt);
            return rtt;
        }
        finally
        {
            _pendingPings.TryRemove(id, out _);
        }
    }

    /// <summary>Sends GoAway (normal) and closes the session.</summary>
    public async Task CloseAsync()
    {
        if (IsClosed)
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
            await WriteFrameAsync(new YamuxHeader(YamuxFrameType.GoAway, YamuxFlags.None, 0, (uint)YamuxGoAwayCode.Normal), default, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
        Shutdown(null);
    }

    internal async ValueTask WriteFrameAsync(YamuxHeader header, ReadOnlySequence<byte> payload, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsClosed)
            {
                throw new IOException("yamux session closed");
            }
            var output = _pipe.Output;
            var span = output.GetSpan(YamuxHeader.Size);
            header.Write(span);
            output.Advance(YamuxHeader.Size);
            FlushResult flush;
            if (payload.IsSingleSegment && !payload.IsEmpty)
            {
                // Lets a secure channel encrypt straight from the sender's memory instead of copying it first.
                flush = await output.WriteAsync(payload.First, _closing.Token).ConfigureAwait(false);
            }
            else
            {
                foreach (var segment in payload)
                {
                    output.Write(segment.Span);
                }
                flush = await output.FlushAsync(_closing.Token).ConfigureAwait(false);
            }
            if (flush.IsCompleted)
            {
                throw new IOException("yamux session output closed");
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            throw new IOException("yamux session closed");
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Best-effort control frame from a synchronous context (window updates, resets).</summary>
    internal void SendControl(YamuxHeader header)
    {
        if (IsClosed)
        {
            return;
        }
        if (Interlocked.Increment(ref _pendingControl) > MaxPendingControlFrames)
        {
            // The peer keeps asking (pings, stream opens) but does not read our answers.
            _logger.LogWarning("yamux peer does not read its {Count} pending control frames; closing connection", MaxPendingControlFrames);
            Shutdown("peer does not read control frames");
            return;
        }
        _ = SendControlAsync(header);
    }

    private async Task SendControlAsync(YamuxHeader header)
    {
        try
        {
            await WriteFrameAsync(header, default, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _pendingControl);
        }
    }

    internal void RemoveStream(YamuxStream stream)
    {
        if (_streams.TryRemove(stream.Id, out _))
        {
            stream.Removed?.Invoke();
            if (stream.IsOutbound)
            {
                Interlocked.Decrement(ref _outboundCount);
            }
            else
            {
                Interlocked.Decrement(ref _inboundCount);
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        string? reason = null;
        var input = _pipe.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryProcessFrame(ref buffer))
                {
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    reason = buffer.IsEmpty ? null : "connection closed inside a yamux frame";
                    break;
                }
            }
        }
        catch (ProtocolViolationException e)
        {
            reason = e.Message;
            _logger.LogWarning("yamux protocol error, closing connection: {Reason}", e.Message);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
                await WriteFrameAsync(new YamuxHeader(YamuxFrameType.GoAway, YamuxFlags.None, 0, (uint)YamuxGoAwayCode.ProtocolError), default, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // the peer is misbehaving; it may not be reading either
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            reason = e.Message;
            _logger.LogDebug("yamux session read failed: {Reason}", e.Message);
        }
        Shutdown(reason);
        await input.CompleteAsync().ConfigureAwait(false);
    }

    private bool TryProcessFrame(ref ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < YamuxHeader.Size)
        {
            return false;
        }
        Span<byte> headerBytes = stackalloc byte[YamuxHeader.Size];
        buffer.Slice(0, YamuxHeader.Size).CopyTo(headerBytes);
        var header = YamuxHeader.Read(headerBytes);
        if (header.Type == YamuxFrameType.Data)
        {
            if (header.Length > (uint)_options.MaxWindow)
            {
                throw new ProtocolViolationException($"yamux data frame of {header.Length} bytes exceeds the maximum window");
            }
            if (buffer.Length < YamuxHeader.Size + header.Length)
            {
                return false;
            }
            HandleData(header, buffer.Slice(YamuxHeader.Size, header.Length));
            buffer = buffer.Slice(YamuxHeader.Size + header.Length);
            return true;
        }
        buffer = buffer.Slice(YamuxHeader.Size);
        switch (header.Type)
        {
            case YamuxFrameType.WindowUpdate:
                HandleWindowUpdate(header);
                break;
            case YamuxFrameType.Ping:
                HandlePing(header);
                break;
            case YamuxFrameType.GoAway:
                _remoteGoAway = true;
                if (header.Length != (uint)YamuxGoAwayCode.Normal)
                {
                    _logger.LogDebug("remote sent yamux GoAway code {Code}", header.Length);
                }
                break;
        }
        return true;
    }

    private YamuxStream? StreamFor(YamuxHeader header)
    {
        if (header.StreamId == 0)
        {
            throw new ProtocolViolationException($"yamux {header.Type} frame on stream 0");
        }
        if ((header.Flags & YamuxFlags.Syn) != 0)
        {
            var remoteParity = IsClient ? 0u : 1u;
            if (header.StreamId % 2 != remoteParity)
            {
                throw new ProtocolViolationException($"remote opened yamux stream {header.StreamId} with our parity");
            }
            if (_streams.ContainsKey(header.StreamId))
            {
                throw new ProtocolViolationException($"remote reopened yamux stream {header.StreamId}");
            }
            var stream = new YamuxStream(this, header.StreamId, outbound: false);
            if (_remoteGoAway || IsClosed || Interlocked.Increment(ref _inboundCount) > _options.MaxInboundStreams)
            {
                if (!_remoteGoAway && !IsClosed)
                {
                    Interlocked.Decrement(ref _inboundCount);
                }
                _logger.LogDebug("resetting inbound yamux stream {Id}: stream limit", header.StreamId);
                SendControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, header.StreamId, 0));
                return null;
            }
            _streams[header.StreamId] = stream;
            stream.AcknowledgeInbound();
            InboundStream?.Invoke(stream);
            return stream;
        }
        return _streams.TryGetValue(header.StreamId, out var existing) ? existing : null;
    }

    private void HandleData(YamuxHeader header, ReadOnlySequence<byte> payload)
    {
        var stream = StreamFor(header);
        if (stream is null)
        {
            return; // a stream we reset or already closed: the data is dropped
        }
        if (!payload.IsEmpty)
        {
            stream.Receive(payload);
        }
        stream.ApplyFlags(header.Flags);
    }

    private void HandleWindowUpdate(YamuxHeader header)
    {
        var stream = StreamFor(header);
        if (stream is null)
        {
            return;
        }
        stream.GrowSendWindow(header.Length);
        stream.ApplyFlags(header.Flags);
    }

    private void HandlePing(YamuxHeader header)
    {
        if (header.StreamId != 0)
        {
            throw new ProtocolViolationException($"yamux ping on stream {header.StreamId}");
        }
        if ((header.Flags & YamuxFlags.Syn) != 0)
        {
            SendControl(new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Ack, 0, header.Length));
        }
        else if ((header.Flags & YamuxFlags.Ack) != 0 && _pendingPings.TryRemove(header.Length, out var answered))
        {
            answered.TrySetResult();
        }
    }

    private async Task KeepAliveLoopAsync()
    {
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                await Task.Delay(_options.KeepAliveInterval, _time, _closing.Token).ConfigureAwait(false);
                using var timeout = new Deadline(_time, _options.PingTimeout, _closing.Token);
                try
                {
                    await PingAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!_closing.IsCancellationRequested)
                {
                    _logger.LogInformation("yamux keep-alive ping unanswered for {Timeout}; closing", _options.PingTimeout);
                    Shutdown("keep-alive ping timed out");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }

    private void Shutdown(string? reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        CloseReason = reason;
        _closing.Cancel();
        foreach (var stream in _streams.Values)
        {
            stream.Abort(new IOException(reason is null ? "connection closed" : "connection closed: " + reason));
        }
        _streams.Clear();
        foreach (var ping in _pendingPings.Values)
        {
            ping.TrySetException(new IOException("yamux session closed"));
        }
        _ = CompleteOutputAsync();
        _pipe.Input.CancelPendingRead();
        _completion.TrySetResult();
    }

    private async Task CompleteOutputAsync()
    {
        // Only after any in-flight frame write has released the lock (its flush is cancelled by _closing).
        await _writeLock.WaitAsync().ConfigureAwait(false);
        await _pipe.Output.CompleteAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        if (_readLoop is not null)
        {
            await _readLoop.ConfigureAwait(false);
        }
        if (_keepAlive is not null)
        {
            await _keepAlive.ConfigureAwait(false);
        }
    }
}
