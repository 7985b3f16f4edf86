namespace P2P.Inference.Generation;

/// <summary>Teacher-forced log-probabilities of a claimed completion, one entry per completion token.</summary>
public sealed record ScoreResult(IReadOnlyList<TokenLogProbs> Positions)
{
    public double TotalLogProb => Positions.Sum(p => (double)p.LogProb);
}
