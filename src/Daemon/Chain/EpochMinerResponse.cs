namespace P2P.Daemon.Chain;

/// <summary>One miner's line of an epoch.</summary>
public sealed record EpochMinerResponse(string Key, string Weight, ulong Reward, bool Forfeited);
