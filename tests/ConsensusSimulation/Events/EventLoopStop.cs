namespace P2P.Consensus.Simulation.Events;

/// <summary>Why <see cref="EventLoop.Run"/> returned.</summary>
public enum EventLoopStop
{
    Condition,
    Idle,
    TimeLimit,
    EventLimit,
}
