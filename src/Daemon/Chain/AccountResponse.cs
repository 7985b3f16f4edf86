namespace P2P.Daemon.Chain;

/// <summary><c>GET /api/v1/accounts/{key}</c>.</summary>
public sealed record AccountResponse(string Key, ulong Balance, ulong Nonce, int PendingTransfers);
