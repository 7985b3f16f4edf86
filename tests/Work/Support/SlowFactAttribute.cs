namespace P2P.Work.Tests.Support;

/// <summary>A fact that runs only with P2P_SLOW_TESTS=1 (≈ 0.5–2 min each on 2 cores); otherwise skipped with that reason.</summary>
public sealed class SlowFactAttribute : FactAttribute
{
    public SlowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("P2P_SLOW_TESTS") != "1")
            Skip = "slow (≈ 30 s of scalar int8 arithmetic on 2 cores): set P2P_SLOW_TESTS=1 to run";
    }
}
