namespace P2P.Consensus.Sync;

/// <summary>The first byte of every <c>/p2pd/sync/1</c> request and response; a response carries its request's kind.</summary>
public enum SyncMessageKind : byte
{
    Status = 1,
    Headers = 2,
    Bodies = 3,
}
