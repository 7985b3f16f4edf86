using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using P2P.Networking.Logging;
using P2P.Networking.Tests.Hostile;

namespace P2P.Networking.Tests.Host.Admission;

public sealed class RateLimitedLogTests
{
    [Fact]
    public void AFlood_WritesTheBurstOfEachReasonAndThenOneSummaryPerWindowWithCountsByReason()
    {
        var loggers = new ListLoggerFactory();
        var time = new FakeTimeProvider();
        using var log = new RateLimitedLog(loggers.CreateLogger("test"), time, TimeSpan.FromSeconds(10), burst: 3, "rejected", "inbound connections");

        for (var i = 0; i < 12_000; i++) log.Record("handshake timeout", l => l.LogInformation("timed out {I}", i));
        for (var i = 0; i < 345; i++) log.Record("limit", l => l.LogInformation("limit {I}", i));
        Assert.Equal(6, loggers.Lines.Count);
        Assert.Equal(3, loggers.Lines.Count(l => l.Contains("limit", StringComparison.Ordinal)));

        time.Advance(TimeSpan.FromSeconds(10));
        log.Record("limit", l => l.LogInformation("first of the next window"));

        var lines = loggers.Lines.ToArray();
        Assert.Equal(8, lines.Length);
        Assert.Contains("rejected 12,345 inbound connections in the last 10 s: 12,000 handshake timeout, 345 limit", lines[6]);
        Assert.StartsWith("Warning:", lines[6]);
        Assert.Contains("first of the next window", lines[7]);
    }

    [Fact]
    public void AWindowWithinTheBurst_WritesNoSummary()
    {
        var loggers = new ListLoggerFactory();
        var time = new FakeTimeProvider();
        using var log = new RateLimitedLog(loggers.CreateLogger("test"), time, TimeSpan.FromSeconds(10), burst: 3, "rejected", "inbound connections");
        log.Record("limit", l => l.LogInformation("one"));
        log.Record("limit", l => l.LogInformation("two"));
        time.Advance(TimeSpan.FromSeconds(11));
        log.Record("limit", l => l.LogInformation("three"));
        Assert.Equal(["one", "two", "three"], loggers.Lines.Select(l => l.Split(' ').Last()).ToArray());
    }
}
