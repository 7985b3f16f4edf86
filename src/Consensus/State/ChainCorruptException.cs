namespace P2P.Consensus.State;

/// <summary>The stored chain fails a consistency check: the database is damaged or belongs to another chain.</summary>
public sealed class ChainCorruptException(string message) : Exception(message);
