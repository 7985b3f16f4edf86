namespace P2P.Daemon.Accountability;

/// <summary>A receipt's signed fields, hashes as lower-case hex.</summary>
public sealed record ReceiptFieldsResponse(string Executor, string TaskId, string Model, uint ShardStart, uint ShardEnd, bool Deterministic, string SamplingHash,
    string InputHash, string OutputHash, string LogProbCommitment, uint InputCount, uint OutputCount, ulong Epoch);
