using P2P.Consensus.Simulation.Events;

namespace P2P.Consensus.Simulation.Tests.Events;

public sealed class EventLoopTests
{
    [Fact]
    public void Events_RunInTimeOrder_AndTiesInSchedulingOrder()
    {
        var loop = new EventLoop();
        var order = new List<string>();
        loop.After(30, () => order.Add("c"));
        loop.After(10, () => order.Add("a1"));
        loop.After(10, () => order.Add("a2"));
        loop.After(20, () =>
        {
            order.Add("b");
            loop.After(0, () => order.Add("b-now"));
            loop.After(5, () => order.Add("b+5"));
        });
        Assert.Equal(EventLoopStop.Idle, loop.Run(() => false, long.MaxValue, 100));
        Assert.Equal(["a1", "a2", "b", "b-now", "b+5", "c"], order);
        Assert.Equal(30, loop.NowMicros);
        Assert.Equal(6, loop.EventsRun);
    }

    [Fact]
    public void Run_StopsOnItsConditionItsTimeLimitAndItsEventBudget()
    {
        var loop = new EventLoop();
        int ticks = 0;
        void Tick()
        {
            ticks++;
            loop.After(1_000, Tick);
        }
        loop.After(0, Tick);
        Assert.Equal(EventLoopStop.Condition, loop.Run(() => ticks == 5, long.MaxValue, 1_000));
        Assert.Equal(EventLoopStop.TimeLimit, loop.Run(() => false, 10_000, 1_000));
        Assert.Equal(11, ticks); // ticks at 0, 1000, …, 10 000
        Assert.Equal(EventLoopStop.EventLimit, loop.Run(() => false, long.MaxValue, 3));
        Assert.Equal(14, ticks);
    }

    [Fact]
    public void Schedule_RefusesNegativeDelays()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventLoop().After(-1, () => { }));
    }
}
