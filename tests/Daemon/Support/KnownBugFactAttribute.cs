namespace P2P.Daemon.Tests.Support;

/// <summary>
/// A fact that exposes an open bug: skipped with the bug's description unless <c>P2P_KNOWN_BUGS=1</c>, so the suite
/// stays green while the test stays in the tree, runnable, as the bug's reproduction.
/// </summary>
public sealed class KnownBugFactAttribute : FactAttribute
{
    public KnownBugFactAttribute(string bug)
    {
        if (Environment.GetEnvironmentVariable("P2P_KNOWN_BUGS") != "1")
            Skip = $"open bug (set P2P_KNOWN_BUGS=1 to reproduce): {bug}";
    }
}
