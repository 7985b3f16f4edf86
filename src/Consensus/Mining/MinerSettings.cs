namespace P2P.Consensus.Mining;

/// <summary>How the miner runs: its reward key, threads, nonces per batch, and how often a template is rebuilt to pick up new pool items.</summary>
public sealed record MinerSettings(byte[] RewardKey, int Threads, int NoncesPerBatch = 512, TimeSpan? TemplateRefresh = null)
{
    public TimeSpan TemplateRefreshInterval => TemplateRefresh ?? TimeSpan.FromSeconds(2);
}
