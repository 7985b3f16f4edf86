using P2P.Bench.Soak;
using P2P.Daemon.Tests.Support;
using Xunit.Abstractions;

namespace P2P.Daemon.Tests.Devnet;

/// <summary>The short variant of bench/Soak: a 3-node devnet under 3 chat clients while nodes are killed and restarted.</summary>
[Collection(DevnetCollection.Name)]
public sealed class SoakTests(ITestOutputHelper log)
{
    [Fact]
    public async Task ShortSoak_NodesAgreeEveryRequestEndsCleanlyNoReceiptIsCreditedTwiceAndMemoryStaysBounded()
    {
        using var temp = new TempDirectory();
        using var output = new StringWriter();
        var options = SoakOptions.Short(temp.Sub("soak"));

        SoakResult result;
        try
        {
            result = await new SoakRunner(options, TextWriter.Synchronized(output)).RunAsync();
        }
        finally
        {
            log.WriteLine(output.ToString());
        }
        using var summary = new StringWriter();
        result.Print(summary);
        log.WriteLine(summary.ToString());
        output.Write(summary.ToString());

        Assert.True(result.Holds, output.ToString());
        Assert.True(result.Kills >= 1, output.ToString());
        Assert.Equal(result.Kills + result.Terminations, result.Restarts);
        Assert.True(result.Outcomes[RequestOutcome.Complete] > 0);
        Assert.Equal(0, result.Outcomes[RequestOutcome.Unclean]);
        Assert.Equal(options.Nodes, result.AgreeingNodes);
        // No receipt credited twice, checked on the chain: receipts did reach it, none is in two blocks.
        Assert.Empty(result.Chain.Problems);
        Assert.True(result.Chain.ReceiptsOnChain > 0, output.ToString());
        Assert.True(result.Chain.AnnouncedOnChain > 0, output.ToString());
        Assert.Empty(result.Chain.DuplicateReceipts);
        Assert.Equal(0, result.Chain.AnnouncedTwice);
        Assert.Equal(result.Chain.Issued, result.Chain.Balances);
        Assert.False(Directory.Exists(options.Directory));
    }
}
