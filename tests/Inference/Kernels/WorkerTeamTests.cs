using P2P.Inference.Kernels;

namespace P2P.Inference.Tests.Kernels;

/// <summary>The kernels' fork-join team: every index once, failures reach the caller, nested and concurrent loops work.</summary>
public sealed class WorkerTeamTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 7)]
    [InlineData(2, 1000)]
    [InlineData(3, 5)]
    [InlineData(4, 33)]
    public void EveryIndex_RunsExactlyOnce(int threads, int count)
    {
        var team = WorkerTeam.Of(threads);
        for (int round = 0; round < 50; round++)
        {
            var hits = new int[count];
            team.For(count, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void WorkersTakePart_AndOutliveIdlePeriods()
    {
        var team = WorkerTeam.Of(2);
        int caller = Environment.CurrentManagedThreadId;
        bool sawWorker = false;
        for (int round = 0; round < 200 && !sawWorker; round++)
        {
            // The first rounds may all run on the caller (a sleeping worker wakes late); a worker joins soon after.
            team.For(64, _ =>
            {
                if (Environment.CurrentManagedThreadId != caller) Volatile.Write(ref sawWorker, true);
                Thread.SpinWait(2000);
            });
            if (round % 50 == 49) Thread.Sleep(5); // past the spin: the worker must wake from its semaphore
        }
        Assert.True(sawWorker, "no index ran on a worker thread");
    }

    [Fact]
    public void AFailingIndex_ThrowsOnTheCaller_AndTheTeamKeepsWorking()
    {
        var team = WorkerTeam.Of(2);
        var error = Assert.Throws<InvalidOperationException>(() => team.For(100, i =>
        {
            if (i == 57) throw new InvalidOperationException("index 57");
        }));
        Assert.Equal("index 57", error.Message);
        int sum = 0;
        team.For(100, i => Interlocked.Add(ref sum, i));
        Assert.Equal(4950, sum);
    }

    [Fact]
    public void AFailingIndex_InALoopTheTeamHandsToTheThreadPool_ThrowsTheSameException()
    {
        // A loop started inside another runs on the thread pool (the team is busy): the same as when another test's
        // loop holds the process-wide team, which is how this path showed up in a parallel test run.
        var team = WorkerTeam.Of(2);
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        team.For(4, outer =>
        {
            try
            {
                team.For(100, i =>
                {
                    if (i == 57) throw new InvalidOperationException("index 57");
                });
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        });
        Assert.Equal(4, errors.Count);
        Assert.All(errors, e =>
        {
            Assert.IsType<InvalidOperationException>(e);
            Assert.Equal("index 57", e.Message);
        });
    }

    [Fact]
    public void NestedAndConcurrentLoops_RunEveryIndex()
    {
        var team = WorkerTeam.Of(2);
        var hits = new int[8 * 8];
        team.For(8, outer => team.For(8, inner => Interlocked.Increment(ref hits[outer * 8 + inner])));
        Assert.All(hits, h => Assert.Equal(1, h));

        var totals = new long[4];
        Parallel.For(0, 4, caller =>
        {
            for (int round = 0; round < 100; round++) team.For(16, i => Interlocked.Add(ref totals[caller], i + 1));
        });
        Assert.All(totals, t => Assert.Equal(100L * 136, t));
    }
}
