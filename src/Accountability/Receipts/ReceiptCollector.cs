using Microsoft.Extensions.Logging;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.State;
using P2P.Networking.Identity;

namespace P2P.Accountability.Receipts;

/// <summary>
/// The gateway's side: takes each executor's receipt as it arrives, checks it decodes and is signed for this chain,
/// logs it under the task, and publishes it on <c>p2pd/receipts/1</c> without delaying the answer; the
/// <paramref name="republisher"/> (when given) keeps it and publishes it again until a block includes it.
/// </summary>
public sealed class ReceiptCollector(ChainState chain, Func<Receipt, CancellationToken, ValueTask> publish, ReceiptLog log, TimeProvider time, ILogger logger,
    ReceiptRepublisher? republisher = null)
{
    public void Collect(string taskId, byte[] encoded)
    {
        Receipt receipt;
        try
        {
            receipt = Receipt.Decode(encoded);
        }
        catch (FormatException e)
        {
            logger.LogInformation("task {Task}: an executor sent a malformed receipt: {Reason}", taskId, e.Message);
            return;
        }
        if (!receipt.HasValidSignature(chain.ChainId))
        {
            logger.LogInformation("task {Task}: a receipt's signature does not verify on this chain", taskId);
            return;
        }
        var id = receipt.Id(chain.ChainId);
        log.Add(new CollectedReceipt(Convert.ToHexStringLower(id), taskId, new Ed25519PublicKey(receipt.Executor).ToPeerId().ToString(),
            (int)receipt.ShardStart, (int)receipt.ShardEnd, receipt.Deterministic, time.GetUtcNow()));
        republisher?.Track(receipt, id);
        _ = PublishAsync(receipt, id);
    }

    private async Task PublishAsync(Receipt receipt, byte[] id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await publish(receipt, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogInformation("publishing receipt {Receipt}: {Reason}", Hashing.Short(id), e.Message);
        }
    }
}
