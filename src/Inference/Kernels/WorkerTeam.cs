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
            Parallel.For(0, count, _fallback, body);
            return;
        }
        try
        {
            var job = new Job(body, count, _workers.Length + 1);
            Volatile.Write(ref _current, job);
            foreach (var worker in _workers) worker.Wake();
            job.Work();
            job.WaitUntilDone();
            job.Failure?.Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// One loop: its indices are handed out in chunks (a product's 1 000 blocks one at a time would bounce the counter's
    /// cache line between the cores for every block), Remaining counts the chunks not yet finished.
    /// </summary>
    private sealed class Job
    {
        private readonly Action<int> _body;
        private readonly int _count;
        private readonly int _chunk;
        private int _next;
        private int _remaining;

        public Job(Action<int> body, int count, int threads)
        {
            _body = body;
            _count = count;
            // Four chunks per thread: a thread that starts late or runs slower still finds work to take.
            _chunk = Math.Max(1, count / (threads * 4));
            _remaining = (count + _chunk - 1) / _chunk;
        }

        public ExceptionDispatchInfo? Failure { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Work()
        {
            for (int start = Interlocked.Add(ref _next, _chunk) - _chunk; start < _count; start = Interlocked.Add(ref _next, _chunk) - _chunk)
            {
                int end = Math.Min(_count, start + _chunk);
                try
                {
                    for (int i = start; i < end; i++) _body(i);
                }
                catch (Exception e)
                {
                    Failure ??= ExceptionDispatchInfo.Capture(e);
                }
                Interlocked.Decrement(ref _remaining);
            }
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
        private int _sleeping;
        private Job? _last;

        public Worker(WorkerTeam team, int index)
        {
            _team = team;
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
                job.Work();
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
