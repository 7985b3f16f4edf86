namespace P2P.Daemon.Chain;

/// <summary><c>POST /api/v1/transfers</c>: send <c>Amount</c> units from the node key to <c>To</c> (64 hex digits), paying <c>Fee</c>.</summary>
public sealed record TransferRequest(string? To, ulong Amount, ulong Fee = 0);
