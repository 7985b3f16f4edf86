namespace P2P.Simulation;

/// <summary>What a simulated server sends back over the link for one exchange.</summary>
internal abstract record SimulatedReply
{
    /// <summary>A response message (the only one of a unary exchange, one of many of a streaming one).</summary>
    public sealed record Message(byte[] Bytes) : SimulatedReply;

    /// <summary>A streaming exchange was accepted; messages follow.</summary>
    public sealed record Accepted : SimulatedReply;

    /// <summary>The streaming exchange ended normally.</summary>
    public sealed record End : SimulatedReply;

    /// <summary>Over a concurrency limit: closed before answering.</summary>
    public sealed record Refused : SimulatedReply;

    /// <summary>No handler for the protocol (multistream-select would have said "na").</summary>
    public sealed record NotSupported : SimulatedReply;

    /// <summary>The server aborted the exchange (a stream reset): bad request, handler failure.</summary>
    public sealed record Reset(string Reason) : SimulatedReply;
}
