namespace P2P.Consensus.Mining;

/// <summary>A snapshot of the miner: hash rate over the last measurement window, what it found, templates built.</summary>
public sealed record MinerStats(bool Running, int Threads, double HashesPerSecond, long NoncesTried, long SharesFound, long BlocksFound, long Templates, ulong TemplateHeight, int TemplateItems);
