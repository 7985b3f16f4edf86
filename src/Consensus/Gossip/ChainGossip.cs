using Microsoft.Extensions.Logging;
using P2P.Consensus.Blocks;
using P2P.Consensus.Encoding;
using P2P.Consensus.Pools;
using P2P.Consensus.State;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;

namespace P2P.Consensus.Gossip;

/// <summary>
/// The chain's gossipsub topics (<see cref="ChainTopics"/>): joins them with a size cap, score parameters (so a
/// rejected message lowers its sender's score through P4) and a validator that runs the core's checks — a block is
/// submitted through <see cref="BlockIntake"/>, a share, transfer, receipt, verdict or service declaration is checked and pooled — and publishes the node's own.
/// </summary>
public sealed class ChainGossip(IPubSub pubsub, BlockIntake intake, SharePool shares, TransferPool transfers, AccountabilityPool accountability, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly List<ISubscription> _subscriptions = [];
    private readonly List<Task> _drains = [];
    private readonly CancellationTokenSource _stop = new();
    private ITopic? _blocks, _shares, _transfers, _receipts, _verdicts, _services;

    public GossipCounters Counters { get; } = new();

    /// <summary>
    /// Called for a gossiped block whose parent is unknown (it waits in the orphan pool), with the peer that sent it:
    /// the synchroniser fetches the missing ancestors from it. Null: orphans wait for their parents to arrive by gossip.
    /// </summary>
    public Action<PeerId, byte[]>? OrphanReceived { get; set; }

    /// <summary>Joins the topics; messages are validated (and acted on) from now on.</summary>
    public void Start()
    {
        var chain = intake.Chain;
        _blocks = Join(ChainTopics.Blocks, ChainTopics.MaxBlockMessage(chain.Genesis), ValidateBlock);
        _shares = Join(ChainTopics.Shares, ChainTopics.MaxShareMessage, ValidateShare);
        _transfers = Join(ChainTopics.Transfers, ChainTopics.MaxTransferMessage, ValidateTransfer);
        _receipts = Join(ChainTopics.Receipts, ChainTopics.MaxReceiptMessage, (m, _) => ValidateAccountability(ChainTopics.Receipts, BodyItemType.Receipt, m));
        _verdicts = Join(ChainTopics.Verdicts, ChainTopics.MaxVerdictMessage, (m, _) => ValidateAccountability(ChainTopics.Verdicts, BodyItemType.Verdict, m));
        _services = Join(ChainTopics.Services, ChainTopics.MaxServiceMessage, (m, _) => ValidateAccountability(ChainTopics.Services, BodyItemType.ServiceDeclaration, m));
    }

    public ValueTask<PublishResult> PublishBlockAsync(Block block, CancellationToken cancellationToken) =>
        Topic(_blocks).PublishAsync(block.Encode(), cancellationToken);

    public ValueTask<PublishResult> PublishShareAsync(Share share, CancellationToken cancellationToken) =>
        Topic(_shares).PublishAsync(share.Encode(), cancellationToken);

    public ValueTask<PublishResult> PublishTransferAsync(Transfer transfer, CancellationToken cancellationToken) =>
        Topic(_transfers).PublishAsync(transfer.Encode(), cancellationToken);

    /// <summary>Pools a receipt (an executor's, collected by the gateway) and publishes it on <c>p2pd/receipts/1</c>.</summary>
    public ValueTask<PublishResult> PublishReceiptAsync(Receipt receipt, CancellationToken cancellationToken) => PublishItemAsync(_receipts, receipt, cancellationToken);

    /// <summary>Pools this node's verdict and publishes it on <c>p2pd/verdicts/1</c>.</summary>
    public ValueTask<PublishResult> PublishVerdictAsync(Verdict verdict, CancellationToken cancellationToken) => PublishItemAsync(_verdicts, verdict, cancellationToken);

    /// <summary>Pools this node's service declaration and publishes it on <c>p2pd/services/1</c>.</summary>
    public ValueTask<PublishResult> PublishDeclarationAsync(ServiceDeclaration declaration, CancellationToken cancellationToken) => PublishItemAsync(_services, declaration, cancellationToken);

    // The node's own item goes into its pool first, so its own miner includes it even with no peer in the topic's mesh.
    private ValueTask<PublishResult> PublishItemAsync(ITopic? topic, BodyItem item, CancellationToken cancellationToken)
    {
        var target = Topic(topic);
        accountability.Add(item);
        return target.PublishAsync(item.Encode(), cancellationToken);
    }

    /// <summary>Score parameters of the chain topics: no delivery-rate penalties (blocks are rare), a heavy P4 weight for invalid messages.</summary>
    public static TopicScoreParams ScoreParams() => new()
    {
        TopicWeight = 1,
        TimeInMeshWeight = 0.01,
        FirstMessageDeliveriesWeight = 1,
        MeshMessageDeliveriesWeight = 0,
        MeshFailurePenaltyWeight = 0,
        InvalidMessageDeliveriesWeight = -100,
        InvalidMessageDeliveriesDecay = 0.5,
    };

    private ITopic Join(string name, int maxSize, MessageValidator validator)
    {
        var topic = pubsub.Join(name, new TopicOptions { Validator = validator, MaxMessageSize = maxSize, Score = ScoreParams() });
        var subscription = topic.Subscribe();
        _subscriptions.Add(subscription);
        _drains.Add(DrainAsync(subscription, _stop.Token));
        return topic;
    }

    // Validators act on messages (submit, pool); the subscription only keeps the node in the topic's mesh.
    private static async Task DrainAsync(ISubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in subscription.WithCancellation(cancellationToken)) { }
        }
        catch (OperationCanceledException) { }
    }

    private ValueTask<ValidationResult> ValidateBlock(PubsubMessage message, CancellationToken cancellationToken)
    {
        var result = intake.SubmitBytes(message.Data.Span);
        var verdict = GossipVerdict.ForBlock(result);
        Counters.Count(ChainTopics.Blocks, verdict);
        if (result.Status == SubmitStatus.Orphan && message.ReceivedFrom is { } sender) OrphanReceived?.Invoke(sender, result.Hash);
        if (verdict == ValidationResult.Reject)
            logger.LogWarning("rejected block {Hash} from {Peer}: {Reason}", Hashing.Short(result.Hash), message.ReceivedFrom, result.Reason);
        return ValueTask.FromResult(verdict);
    }

    private ValueTask<ValidationResult> ValidateShare(PubsubMessage message, CancellationToken cancellationToken)
    {
        var (verdict, reason, share) = ItemCheck.Share(intake.Chain, message.Data.Span);
        if (share is not null && !shares.Add(share)) verdict = ValidationResult.Ignore;
        Counters.Count(ChainTopics.Shares, verdict);
        if (verdict == ValidationResult.Reject) logger.LogWarning("rejected share from {Peer}: {Reason}", message.ReceivedFrom, reason);
        return ValueTask.FromResult(verdict);
    }

    private ValueTask<ValidationResult> ValidateTransfer(PubsubMessage message, CancellationToken cancellationToken)
    {
        var (verdict, reason, transfer) = ItemCheck.Transfer(intake.Chain, message.Data.Span);
        if (transfer is not null && !transfers.Add(transfer)) verdict = ValidationResult.Ignore;
        Counters.Count(ChainTopics.Transfers, verdict);
        if (verdict == ValidationResult.Reject) logger.LogWarning("rejected transfer from {Peer}: {Reason}", message.ReceivedFrom, reason);
        return ValueTask.FromResult(verdict);
    }

    private ValueTask<ValidationResult> ValidateAccountability(string topic, BodyItemType type, PubsubMessage message)
    {
        var (verdict, reason, item) = AccountabilityCheck.Check(intake.Chain, type, message.Data.Span, time.GetUtcNow());
        if (item is not null && !accountability.Add(item)) verdict = ValidationResult.Ignore;
        Counters.Count(topic, verdict);
        if (verdict == ValidationResult.Reject) logger.LogWarning("rejected {Type} from {Peer}: {Reason}", type, message.ReceivedFrom, reason);
        return ValueTask.FromResult(verdict);
    }

    private static ITopic Topic(ITopic? topic) => topic ?? throw new InvalidOperationException("chain gossip is not started");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var subscription in _subscriptions) await subscription.DisposeAsync();
        await Task.WhenAll(_drains);
        _stop.Dispose();
    }
}
