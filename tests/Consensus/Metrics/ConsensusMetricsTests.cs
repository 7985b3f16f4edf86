using System.Diagnostics.Metrics;
using P2P.Consensus.Blocks;
using P2P.Consensus.Metrics;
using P2P.Consensus.Reasons;
using P2P.Consensus.Tests.Support;

namespace P2P.Consensus.Tests.Metrics;

/// <summary>The meter is process-wide, so these tests run alone: other tests connecting blocks at the same time would add to the counts.</summary>
[CollectionDefinition(nameof(ConsensusMetricsTests), DisableParallelization = true)]
public sealed class ConsensusMetricsCollection;

[Collection(nameof(ConsensusMetricsTests))]
public sealed class ConsensusMetricsTests : IDisposable
{
    private static readonly P2P.Networking.Identity.Ed25519PrivateKey Alice = TestChain.Key(1), Bob = TestChain.Key(2), Carol = TestChain.Key(3);
    private readonly TestChain _a = new(), _b = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = [];

    public ConsensusMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ConsensusMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_measurements) _measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        });
    }

    private long Sum(string instrument, string? tag = null, string? value = null)
    {
        lock (_measurements)
            return _measurements.Where(m => m.Instrument == instrument && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), value))).Sum(m => m.Value);
    }

    [Fact]
    public void Reorganisation_CountsConnectedBlocks_ItsDepth_AndTheItemsApplied()
    {
        _a.Extend(2, Alice);
        var branch = new List<Block>();
        for (int i = 0; i < 3; i++)
        {
            var block = _b.MineNext(Bob, [_b.MineShare(Carol)]);
            Assert.True(_b.Submit(block).HeadChanged);
            branch.Add(block);
        }

        _listener.Start();
        foreach (var block in branch) _a.Submit(block, TestChain.TimeAt(3));

        Assert.Equal(3, Sum(ConsensusMetrics.BlocksConnectedName));
        Assert.Equal(1, Sum(ConsensusMetrics.ReorgsName));
        lock (_measurements) Assert.Equal([2L], _measurements.Where(m => m.Instrument == ConsensusMetrics.ReorgDepthName).Select(m => m.Value));
        Assert.Equal(3, Sum(ConsensusMetrics.ItemsAppliedName, "type", "share"));
        Assert.Equal(0, Sum(ConsensusMetrics.BlocksRejectedName));
    }

    [Fact]
    public void MalformedBlock_IsCountedAsRejected_WithItsReason()
    {
        _listener.Start();
        var result = _a.Chain.SubmitBytes(new byte[7], TestChain.TimeAt(1));
        Assert.Equal(1, Sum(ConsensusMetrics.BlocksRejectedName, "reason", result.Reason.ToString()));
        Assert.NotEqual(RejectReason.None, result.Reason);
        Assert.Equal(0, Sum(ConsensusMetrics.BlocksConnectedName));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _a.Dispose();
        _b.Dispose();
    }
}
