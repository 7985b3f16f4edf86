namespace P2P.Daemon.Tests.Chain;

/// <summary>
/// Polls every node's head and state digest in the background (every 100 ms, until disposed) and checks that a head is
/// always reported with one digest, whichever node reports it and whenever.
/// </summary>
public sealed class HeadDigestWatch : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Digest, HashSet<string> Nodes)> _byHead = new(StringComparer.Ordinal);
    private readonly List<string> _conflicts = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public HeadDigestWatch(Func<IReadOnlyList<ChainTestNode>> nodes) => _loop = RunAsync(nodes, _stop.Token);

    /// <summary>Heads that at least two nodes were seen reporting.</summary>
    public int SharedHeads
    {
        get { lock (_gate) return _byHead.Values.Count(v => v.Nodes.Count >= 2); }
    }

    /// <summary>Each head reported with two different digests (empty when the nodes agree).</summary>
    public IReadOnlyList<string> Conflicts
    {
        get { lock (_gate) return [.. _conflicts]; }
    }

    private async Task RunAsync(Func<IReadOnlyList<ChainTestNode>> nodes, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                foreach (var node in nodes())
                {
                    if (await node.TryHeadAsync() is not { } view) continue;
                    lock (_gate)
                    {
                        if (!_byHead.TryGetValue(view.Head, out var seen)) _byHead[view.Head] = (view.Digest, [node.Name]);
                        else if (seen.Digest != view.Digest) _conflicts.Add($"head {view.Height} {view.Head}: {seen.Digest} on {string.Join(",", seen.Nodes)}, {view.Digest} on {node.Name}");
                        else seen.Nodes.Add(node.Name);
                    }
                }
                await Task.Delay(100, cancellationToken);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Stops polling (idempotent: a test stops it before reading the results, <c>await using</c> again).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_loop.IsCompleted) return;
        await _stop.CancelAsync();
        await _loop;
    }
}
