using System.Collections.Concurrent;
using P2P.InferenceNetwork.Adverts;
using P2P.InferenceNetwork.Protocol;
using P2P.InferenceNetwork.Receipts;
using P2P.InferenceNetwork.Routing;
using P2P.InferenceNetwork.Serving;
using P2P.InferenceNetwork.Tasks;

namespace P2P.Daemon.Gateway;

/// <summary>The inference network as this daemon runs it: served models, executor, directory, router and recent tasks.</summary>
public sealed class InferenceRuntime
{
    private readonly ConcurrentQueue<TaskRecord> _recent = new();

    public required InferenceDirectory Directory { get; init; }

    public ModelCatalog Catalog { get; set; } = new([]);

    public InferExecutor? Executor { get; set; }

    public InferenceRouter? Router { get; set; }

    public TaskAnnouncer? Tasks { get; set; }

    /// <summary>Set by the accountability area before start: the executor signs receipts and keeps records (null: no receipts).</summary>
    public ExecutorAccounting? Accounting { get; set; }

    /// <summary>Set by the accountability area: takes each executor receipt of a routed task (task id, encoded receipt).</summary>
    public Action<string, byte[]>? ReceiptSink { get; set; }

    /// <summary>Task announcements seen on <c>p2pd/tasks/1</c> (the newest 100).</summary>
    public ConcurrentQueue<TaskAnnouncement> SeenTasks { get; } = new();

    public int ActiveRequests;

    /// <summary>Routes of the requests in progress, by task id (hops are appended as servers are replaced).</summary>
    public ConcurrentDictionary<string, List<RouteStep>> ActiveRoutes { get; } = new();

    public IReadOnlyList<TaskRecord> RecentTasks => [.. _recent];

    public void Record(TaskRecord task)
    {
        _recent.Enqueue(task);
        while (_recent.Count > 100) _recent.TryDequeue(out _);
    }
}
