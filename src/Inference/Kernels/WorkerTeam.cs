using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace P2P.Inference.Kernels;

/// <summary>
/// A fork-join team for the kernels' parallel loops: the calling thread and threads − 1 dedicated workers take the
/// loop's indices from one shared counter. A decode step makes ~30 such calls of 20–200 µs each; the thread pool's
/// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> costs a task, an execution-context capture and a
/// queue round trip per call, and its framework code is recompiled while the first tokens are generated. Idle workers
/// spin for <see cref="SpinMicroseconds"/> (the gap between the calls of one step is a few microseconds), then sleep
/// on a semaphore, so a loaded machine loses no more than that per idle period. One team per thread count serves the
/// whole process (its workers are background threads that live as long as it); backends that run loops at the same
/// time share the cores rather than oversubscribe them: the second caller's loop runs on the thread pool.
/// </summary>
internal sealed class WorkerTeam
{
    /// <summary>How long an idle worker polls for the next loop before it sleeps.</summary>
    public const int SpinMicroseconds = 50;

    /// <summary>Chunks per thread: the last chunk taken bounds how long one thread runs on alone.</summary>
    internal const int ChunksPerThread = 8;

    private static readonly long SpinTicks = Math.Max(1, Stopwatch.Frequency * SpinMicroseconds / 1_000_000);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<WorkerTeam>> Teams = new();

    private readonly Worker[] _workers;
    private readonly ParallelOptions _fallback;
    private Job? _current;
    private int _busy;

    /// <summary>The process's team of the given size (threads ≥ 2), started on first use.</summary>
    public static WorkerTeam Of(int threads) => Teams.GetOrAdd(threads, t => new Lazy<WorkerTeam>(() => new WorkerTeam(t))).Value;

    private WorkerTeam(int threads)
    {
        _fallback = new ParallelOptions { MaxDegreeOfParallelism = threads };
        _workers = new Worker[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            var worker = new Worker(this, i);
            _workers[i] = worker;
            worker.Thread.Start();
        }
    }

    /// <summary>Runs body(i) for i in [0, count) on the team; returns when all have run. Exceptions reach the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void For(int count, Action<int> body)
    {
        // A loop started from inside another (or from a second thread) runs on the thread pool instead.
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            RunOnThreadPool(count, body);
            return;
        }
        try
        {
            var job = new Job(body, count, _workers.Length + 1);
            Volatile.Write(ref _current, job);
            foreach (var worker in _workers) worker.Wake();
            job.Work(0);
            job.WaitUntilDone();
            job.Failure?.Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// The loop on the thread pool, failing the way the team does: with the first index's exception itself, not the
    /// AggregateException Parallel.For wraps it in, so a caller sees one behaviour whichever path its loop took.
    /// </summary>
    private void RunOnThreadPool(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, _fallback, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>
    /// One loop. Its indices are split into one contiguous part per thread, each with its own claim counter on its own
    /// cache line: a thread takes chunks of its part, then helps with the others' parts, and adds the count it ran to
    /// Remaining once at the end. (One shared counter for claims and completions put a contended atomic on every chunk,
    /// and a decode step ran 5–10 % slower than Parallel.For.)
    /// </summary>
    private sealed class Job
    {
        /// <summary>Ints between two parts' counters: 64 bytes.</summary>
        private const int Stride = 16;

        private readonly Action<int> _body;
        private readonly int _count;
        private readonly int _parts;
        private readonly int _chunk;
        private readonly int[] _next;
        private int _remaining;

        public Job(Action<int> body, int count, int threads)
        {
            _body = body;
            _count = count;
            _parts = Math.Min(threads, count);
            _chunk = Math.Max(1, count / (threads * ChunksPerThread));
            _next = new int[(_parts + 1) * Stride];
            for (int p = 0; p < _parts; p++) _next[(p + 1) * Stride] = Start(p);
            _remaining = count;
        }

        public ExceptionDispatchInfo? Failure { get; private set; }

        private int Start(int part) => (int)((long)_count * part / _parts);

        /// <summary>Runs chunks, starting with part self (the caller is 0, worker i is i + 1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Work(int self)
        {
            int done = 0;
            for (int k = 0; k < _parts; k++)
            {
                int part = (self + k) % _parts, end = Start(part + 1);
                ref int next = ref _next[(part + 1) * Stride];
                for (int start = Interlocked.Add(ref next, _chunk) - _chunk; start < end; start = Interlocked.Add(ref next, _chunk) - _chunk)
                {
                    int stop = Math.Min(end, start + _chunk);
                    try
                    {
                        for (int i = start; i < stop; i++) _body(i);
                    }
                    catch (Exception e)
                    {
                        Failure ??= ExceptionDispatchInfo.Capture(e);
                    }
                    done += stop - start;
                }
            }
            if (done > 0) Interlocked.Add(ref _remaining, -done);
        }

        /// <summary>
        /// The chunks still running are held by workers that are running them: spin on pause instructions, then yield
        /// the core (under load the worker may be waiting for it). Never sleeps a whole scheduler tick.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void WaitUntilDone()
        {
            for (int spins = 0; Volatile.Read(ref _remaining) > 0; spins++)
            {
                if (spins < 2000) Pause();
                else Thread.Yield();
            }
        }
    }

    /// <summary>The CPU's spin-wait hint, inlined (Thread.SpinWait is a runtime call, recompiled once it runs hot).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pause()
    {
        if (X86Base.IsSupported) X86Base.Pause();
        else if (ArmBase.IsSupported) ArmBase.Yield();
        else Thread.SpinWait(1);
    }

    private sealed class Worker
    {
        private readonly WorkerTeam _team;
        private readonly SemaphoreSlim _wakeUp = new(0);
        private readonly int _index;
        private int _sleeping;
        private Job? _last;

        public Worker(WorkerTeam team, int index)
        {
            _team = team;
            _index = index;
            Thread = new Thread(Loop) { IsBackground = true, Name = $"p2p-compute-{index + 1}" };
        }

        public Thread Thread { get; }

        /// <summary>Releases the worker if it sleeps; a spinning worker sees the new job by itself.</summary>
        public void Wake()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) == 1) _wakeUp.Release();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Loop()
        {
            while (true)
            {
                var job = AwaitJob();
                if (job is null) continue;
                _last = job;
                job.Work(_index + 1);
            }
        }

        /// <summary>The next job not yet worked on, after a bounded spin and then a sleep; null when woken without one.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Job? AwaitJob()
        {
            long deadline = Stopwatch.GetTimestamp() + SpinTicks;
            do
            {
                var job = Volatile.Read(ref _team._current);
                if (job != _last) return job;
                for (int i = 0; i < 8; i++) Pause();
            }
            while (Stopwatch.GetTimestamp() < deadline);

            Volatile.Write(ref _sleeping, 1);
            var next = Volatile.Read(ref _team._current);
            if (next != _last)
            {
                // A job arrived while going to sleep: if its caller already claimed the wake-up, consume it.
                if (Interlocked.Exchange(ref _sleeping, 0) == 0) _wakeUp.Wait();
                return next;
            }
            _wakeUp.Wait();
            return null;
        }
    }
}
