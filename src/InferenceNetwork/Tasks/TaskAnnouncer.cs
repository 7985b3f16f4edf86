using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;

namespace P2P.InferenceNetwork.Tasks;

/// <summary>Publishes this gateway's task announcements on <c>p2pd/tasks/1</c>; validates everyone's before they spread.</summary>
public sealed class TaskAnnouncer
{
    public const string Topic = "p2pd/tasks/1";

    private readonly ITopic _topic;
    private readonly PrivateKey _key;
    private readonly ILogger _log;

    public TaskAnnouncer(IPubSub pubsub, PrivateKey key, ILogger? log = null)
    {
        _key = key;
        _log = log ?? NullLogger.Instance;
        _topic = pubsub.Join(Topic, new TopicOptions { Validator = Validate, MaxMessageSize = TaskSigner.MaxBytes });
    }

    /// <summary>Delivers the valid announcements of every gateway (ours included) until cancelled.</summary>
    public async Task ReceiveAsync(Action<TaskAnnouncement> onTask, CancellationToken cancellationToken)
    {
        var subscription = _topic.Subscribe();
        await using var owned = ((IAsyncDisposable)subscription).ConfigureAwait(false);
        try
        {
            await foreach (var message in subscription.WithCancellation(cancellationToken).ConfigureAwait(false))
                if (TaskSigner.Decode(message.Data.Span, out _) is { } task) onTask(task);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Signs and publishes; a publish failure is logged, never fails the request.</summary>
    public async Task<TaskAnnouncement> AnnounceAsync(TaskAnnouncement task, CancellationToken cancellationToken)
    {
        var signed = TaskSigner.Sign(task, _key);
        try
        {
            await _topic.PublishAsync(TaskSigner.Encode(signed), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogDebug("task {Task} not announced: {Reason}", task.TaskId, e.Message);
        }
        return signed;
    }

    private static ValueTask<ValidationResult> Validate(PubsubMessage message, CancellationToken cancellationToken)
    {
        var task = TaskSigner.Decode(message.Data.Span, out _);
        return ValueTask.FromResult(task is not null && message.From?.ToString() == task.GatewayPeerId ? ValidationResult.Accept : ValidationResult.Reject);
    }
}
