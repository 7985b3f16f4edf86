namespace P2P.Daemon.Chain;

/// <summary><c>GET /api/v1/epochs/{n}</c>: a closed epoch's split, or an open epoch's weights so far.</summary>
public sealed record EpochResponse(ulong Epoch, bool Closed, ulong FirstHeight, ulong LastHeight, ulong Scheduled, ulong Issued, ulong Forfeited, string TotalWeight, IReadOnlyList<EpochMinerResponse> Miners);

