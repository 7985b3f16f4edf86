using Microsoft.Extensions.Logging;
using P2P.Accountability.Declarations;
using P2P.Accountability.Health;
using P2P.Accountability.Receipts;
using P2P.Accountability.Validation;

namespace P2P.Accountability;

/// <summary>
/// The node's accountability duties on each new head, polled every <c>interval</c>: declare served spans for the epoch,
/// judge assigned receipts, turn final verdicts into routing penalties, and publish again the gateway's receipts that
/// no block has included yet. A failing step is logged and retried.
/// </summary>
public sealed class AccountabilityLoop(Func<byte[]> headHash, ServiceDeclarer? declarer, ReceiptValidator? validator, ConvictionTracker tracker,
    TimeSpan interval, TimeProvider time, ILogger log, ReceiptRepublisher? republisher = null)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        byte[]? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var head = headHash();
            try
            {
                if (declarer is not null) await declarer.RunOnceAsync(cancellationToken).ConfigureAwait(false);
                if (last is null || !last.AsSpan().SequenceEqual(head))
                {
                    tracker.Update();
                    if (republisher is not null) await republisher.RunOnceAsync(cancellationToken).ConfigureAwait(false);
                    if (validator is not null) await validator.RunOnceAsync(cancellationToken).ConfigureAwait(false);
                    last = head;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "accountability step failed; retrying");
            }
            try
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
