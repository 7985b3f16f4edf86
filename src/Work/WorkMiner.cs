namespace P2P.Work;

/// <summary>
/// Multi-threaded nonce search over work/1 (docs/work-function.md §4). Threads claim consecutive batches of nonces in
/// increasing order and every claimed batch is finished, so the nonce reported is the smallest one ≥ start that meets
/// the target, whatever the thread count or timing. Runs on its own threads, never on the thread pool.
/// </summary>
public sealed class WorkMiner
{
    private readonly WorkWeights _weights;
    private readonly WorkMinerOptions _options;

    /// <summary>Per-thread evaluators and buffers kept between runs: a node mines each new block template with the same weights.</summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<WorkMinerWorker> _idle = [];

    public WorkMiner(WorkWeights weights, WorkMinerOptions? options = null)
    {
        _weights = weights;
        _options = options ?? new WorkMinerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1);
    }

    /// <summary>Searches nonces start, start+1, … until one meets the target, maxNonces were tried, or cancellation.</summary>
    public WorkMinerResult Mine(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> target, ulong start, CancellationToken cancellationToken, long maxNonces = long.MaxValue)
    {
        WorkPrf.RequireLength(challenge, "challenge");
        WorkPrf.RequireLength(target, "target");
        ArgumentOutOfRangeException.ThrowIfNegative(maxNonces);
        ulong limit = (ulong)maxNonces;
        if (start > 0 && limit > ulong.MaxValue - start + 1) limit = ulong.MaxValue - start + 1;
        var search = new WorkMinerSearch(challenge.ToArray(), target.ToArray(), start, limit);
        var began = _options.Time.GetTimestamp();
        var threads = new Thread[_options.Threads];
        Exception? failure = null;
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(() =>
            {
                try { Run(search, cancellationToken); }
                catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); search.Stop(); }
            })
            { IsBackground = true, Name = $"work-miner-{i}" };
            threads[i].Start();
        }
        foreach (var thread in threads) thread.Join();
        if (failure is not null) throw new InvalidOperationException("mining thread failed", failure);
        var elapsed = _options.Time.GetElapsedTime(began);
        return new WorkMinerResult(search.BestNonce, search.BestHash, search.Tried, elapsed, cancellationToken.IsCancellationRequested && search.BestNonce is null);
    }

    /// <summary>As <see cref="Mine"/>, completing when the mining threads finish.</summary>
    public Task<WorkMinerResult> MineAsync(byte[] challenge, byte[] target, ulong start, CancellationToken cancellationToken, long maxNonces = long.MaxValue)
    {
        var completion = new TaskCompletionSource<WorkMinerResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var coordinator = new Thread(() =>
        {
            try { completion.SetResult(Mine(challenge, target, start, cancellationToken, maxNonces)); }
            catch (Exception e) { completion.SetException(e); }
        })
        { IsBackground = true, Name = "work-miner" };
        coordinator.Start();
        return completion.Task;
    }

    private void Run(WorkMinerSearch search, CancellationToken cancellationToken)
    {
        var worker = _idle.TryTake(out var idle) ? idle : new WorkMinerWorker(_weights, _options);
        try
        {
            int batch = _options.BatchSize;
            while (!cancellationToken.IsCancellationRequested && search.TryClaim(batch, out ulong first, out int count))
            {
                for (int i = 0; i < count; i++) worker.Nonces[i] = first + (ulong)i;
                worker.Evaluator.Hashes(search.Challenge, worker.Nonces.AsSpan(0, count), worker.Hashes, worker.Activations);
                for (int i = 0; i < count; i++)
                {
                    var hash = worker.Hashes.AsSpan(i * 32, 32);
                    if (WorkHash.MeetsTarget(hash, search.Target))
                    {
                        search.Report(worker.Nonces[i], hash.ToArray());
                        break;
                    }
                }
                search.Completed(count);
            }
        }
        finally
        {
            _idle.Add(worker);
        }
    }
}
