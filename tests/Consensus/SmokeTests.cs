namespace P2P.Consensus.Tests;

public class ProjectLoadsTests
{
    [Fact]
    public void AssemblyLoads() => Assert.NotNull(typeof(ProjectLoadsTests).Assembly.GetName().Name);
}
