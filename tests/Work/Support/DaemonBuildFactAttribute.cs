using P2P.Testing;

namespace P2P.Work.Tests.Support;

/// <summary>A fact skipped, with its reason shown, when the p2pd build it drives in a child process is absent.</summary>
public sealed class DaemonBuildFactAttribute : FactAttribute
{
    public DaemonBuildFactAttribute()
    {
        if (RepositoryPaths.DaemonDll is null)
            Skip = "p2pd.dll not built (build the solution, e.g. scripts/test.sh, to run this child-process check)";
    }
}
