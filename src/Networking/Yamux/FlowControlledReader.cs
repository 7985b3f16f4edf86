using System.Buffers;
using System.IO.Pipelines;

namespace P2P.Networking.Yamux;

/// <summary>
/// A pipe reader that gives its yamux stream window back for the bytes the application has examined, consumed or not.
/// </summary>
/// <remarks>
/// A reader that examines everything it was given without consuming it is waiting for more (a length-prefixed message
/// larger than the window arrives whole before any of it is consumed); granting window only on consumption would
/// stall such a message at the initial window for good. The buffered bytes stay bounded by the reader's own message
/// limit, which every decoder here enforces.
/// </remarks>
internal sealed class FlowControlledReader(PipeReader inner, YamuxStream owner) : PipeReader
{
    private ReadOnlySequence<byte> _last;

    // Bytes at the front of the unconsumed buffer that window was already granted for (examined, not consumed).
    private long _grantedAhead;

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        long consumedCount = 0, examinedCount = 0;
        if (!_last.IsEmpty)
        {
            consumedCount = _last.Slice(_last.Start, consumed).Length;
            examinedCount = Math.Max(consumedCount, _last.Slice(_last.Start, examined).Length);
        }
        _last = default;
        inner.AdvanceTo(consumed, examined);
        var grant = examinedCount - _grantedAhead;
        _grantedAhead = Math.Max(_grantedAhead, examinedCount) - consumedCount;
        if (grant > 0)
        {
            owner.OnExamined(grant);
        }
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        owner.OnInputCompleted();
        inner.Complete(exception);
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var pending = inner.ReadAsync(cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            _last = result.Buffer;
            return new ValueTask<ReadResult>(result);
        }
        return AwaitAsync(pending);
    }

    private async ValueTask<ReadResult> AwaitAsync(ValueTask<ReadResult> pending)
    {
        var result = await pending.ConfigureAwait(false);
        _last = result.Buffer;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (inner.TryRead(out result))
        {
            _last = result.Buffer;
            return true;
        }
        return false;
    }
}
