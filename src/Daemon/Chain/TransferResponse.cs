namespace P2P.Daemon.Chain;

/// <summary>A transfer as the API shows it (in a block, or just submitted with its id).</summary>
public sealed record TransferResponse(string Id, string From, string To, ulong Amount, ulong Fee, ulong Nonce);
