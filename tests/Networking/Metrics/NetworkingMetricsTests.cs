using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using P2P.Networking.Metrics;
using P2P.Networking.Pubsub;
using P2P.Networking.RequestResponse;
using P2P.Networking.Tests.Host;
using P2P.Simulation;
using P2P.Testing;

namespace P2P.Networking.Tests.Metrics;

/// <summary>The <c>P2P.Networking</c> meter moves with real connections, streams, gossip and refusals.</summary>
public sealed class NetworkingMetricsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Sums every measurement of the networking meter by instrument and tag value (other tests run in parallel: look only at our tags, or at growth).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();

        public Recorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == NetworkingMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var key = instrument.Name;
                foreach (var tag in tags)
                {
                    key += $"|{tag.Key}={tag.Value}";
                }
                Totals.AddOrUpdate(key, value, (_, sum) => sum + value);
                Totals.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            });
            _listener.Start();
        }

        public ConcurrentDictionary<string, long> Totals { get; } = new();

        public long Get(string key) => Totals.GetValueOrDefault(key);

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task ConnectionAndStreamCounters_MoveWithRealHosts()
    {
        using var recorder = new Recorder();
        var protocol = $"/p2pd/metrics-{Guid.NewGuid():N}/1";
        var a = await TestHosts.StartAsync();
        var b = await TestHosts.StartAsync();
        b.SetStreamHandler(protocol, TestHosts.EchoAsync);
        await a.DialAsync(b.ListenAddresses[0].WithPeerId(b.LocalPeerId)).WaitAsync(Limit);
        await using (var stream = await a.OpenStreamAsync(b.LocalPeerId, [protocol]).WaitAsync(Limit))
        {
            Assert.Equal([1, 2, 3], await TestHosts.RoundTripAsync(stream, [1, 2, 3], CancellationToken.None).WaitAsync(Limit));
        }
        Assert.True(await Wait.UntilAsync(() => recorder.Get($"{NetworkingMetrics.StreamsOpenedName}|direction=inbound|protocol={protocol}") == 1, Limit));
        Assert.Equal(1, recorder.Get($"{NetworkingMetrics.StreamsOpenedName}|direction=outbound|protocol={protocol}"));
        Assert.True(recorder.Get($"{NetworkingMetrics.ConnectionsOpenedName}|direction=outbound") >= 1);
        Assert.True(recorder.Get($"{NetworkingMetrics.ConnectionsOpenedName}|direction=inbound") >= 1);
        var closedBefore = recorder.Get(NetworkingMetrics.ConnectionsClosedName);
        await a.DisposeAsync();
        await b.DisposeAsync();
        Assert.True(await Wait.UntilAsync(() => recorder.Get(NetworkingMetrics.ConnectionsClosedName) >= closedBefore + 2, Limit));
    }

    [Fact]
    public async Task GossipAndRequestCounters_MovePerTopicAndProtocol()
    {
        using var recorder = new Recorder();
        var topic = $"p2pd/metrics/{Guid.NewGuid():N}";
        var network = new SimulatedNetwork(seed: 11);
        var a = network.AddPeer();
        var b = network.AddPeer();
        network.Connect(a, b);
        a.Pubsub.Subscribe(topic);
        b.Pubsub.Join(topic, new TopicOptions { Validator = (m, _) => ValueTask.FromResult(m.Data.Span[0] == 0 ? ValidationResult.Reject : ValidationResult.Accept) });
        await using var log = b.Record(topic);
        Assert.True(await network.RunUntilAsync(() => a.Pubsub.Router.MeshPeers(topic).Count == 1, TimeSpan.FromSeconds(3)));
        await a.Pubsub.PublishAsync(topic, new byte[] { 1 });
        await a.Pubsub.PublishAsync(topic, new byte[] { 0 });
        await a.Pubsub.PublishAsync(topic, new byte[] { 2 });
        Assert.True(await network.RunUntilAsync(() => log.Messages.Count == 2, TimeSpan.FromSeconds(1)));
        Assert.Equal(3, recorder.Get($"{NetworkingMetrics.GossipPublishedName}|topic={topic}"));
        Assert.Equal(2, recorder.Get($"{NetworkingMetrics.GossipReceivedName}|topic={topic}"));
        Assert.Equal(1, recorder.Get($"{NetworkingMetrics.GossipRejectedName}|topic={topic}"));

        var protocol = $"/p2pd/metrics-{Guid.NewGuid():N}/1";
        var definition = new RequestResponseDefinition<string, string>(protocol, new Utf8Codec(), new Utf8Codec(), new RequestResponseOptions { MaxConcurrentPerPeer = 1 });
        var release = new TaskCompletionSource<string>();
        b.RequestResponse.Create(definition).Serve((_, _, _) => release.Task);
        var client = a.RequestResponse.Create(definition);
        var held = client.RequestAsync(b.Id, "1");
        var refused = client.RequestAsync(b.Id, "2");
        Assert.True(await network.RunUntilAsync(() => refused.IsCompleted, TimeSpan.FromSeconds(1)));
        release.SetResult("ok");
        Assert.True(await network.RunUntilAsync(() => held.IsCompleted, TimeSpan.FromSeconds(1)));
        Assert.Equal(1, recorder.Get($"{NetworkingMetrics.RequestsServedName}|protocol={protocol}"));
        Assert.Equal(1, recorder.Get($"{NetworkingMetrics.RequestsRefusedName}|protocol={protocol}"));
    }
}
