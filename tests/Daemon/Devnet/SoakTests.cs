using P2P.Bench.Soak;
using P2P.Daemon.Tests.Support;
using Xunit.Abstractions;

namespace P2P.Daemon.Tests.Devnet;

/// <summary>The short variant of bench/Soak: a 3-node devnet under 3 chat clients while nodes are killed and restarted.</summary>
[Collection(DevnetCollection.Name)]
public sealed class SoakTests(ITestOutputHelper log)
{
    [Fact]
    public async Task ShortSoak_NodesAgreeEveryRequestEndsCleanlyAndMemoryStaysBounded()
    {
        using var temp = new TempDirectory();
        using var output = new StringWriter();
        var options = SoakOptions.Short(temp.Sub("soak"));

        var result = await new SoakRunner(options, TextWriter.Synchronized(output)).RunAsync();
        result.Print(output);
        log.WriteLine(output.ToString());

        Assert.True(result.Holds, output.ToString());
        Assert.True(result.Kills >= 1, output.ToString());
        Assert.Equal(result.Kills + result.Terminations, result.Restarts);
        Assert.True(result.Outcomes[RequestOutcome.Complete] > 0);
        Assert.Equal(0, result.Outcomes[RequestOutcome.Unclean]);
        Assert.Equal(options.Nodes, result.AgreeingNodes);
        Assert.False(Directory.Exists(options.Directory));
    }
}
