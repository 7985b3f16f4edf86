namespace P2P.Daemon.Chain;

/// <summary><c>GET /api/v1/epochs/{n}</c>: a closed epoch's split, or an open epoch's weights so far, with its validation tally, forfeits and missed verdict deadlines.</summary>
public sealed record EpochResponse(
    ulong Epoch,
    bool Closed,
    ulong FirstHeight,
    ulong LastHeight,
    ulong Scheduled,
    ulong Issued,
    ulong Forfeited,
    string TotalWeight,
    IReadOnlyList<EpochMinerResponse> Miners,
    EpochValidationResponse Validation,
    IReadOnlyList<string> ForfeitedKeys,
    IReadOnlyList<string> MissedDeadlines);
