namespace P2P.Daemon.Chain;

/// <summary><c>GET /api/v1/mining</c>.</summary>
public sealed record MiningResponse(bool Enabled, bool Running, int Threads, string RewardKey, double HashesPerSecond, long NoncesTried, long SharesFound, long BlocksFound, long Templates, ulong TemplateHeight, int TemplateItems);
