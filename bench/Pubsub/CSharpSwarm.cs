using System.Buffers.Binary;
using System.Diagnostics;
using P2P.Networking.Host;
using P2P.Networking.Hosting;
using P2P.Networking.Identity;
using P2P.Networking.Pubsub;

namespace P2P.Bench.Pubsub;

/// <summary>The C# swarm: N libp2p hosts with gossipsub in this process on 127.0.0.1.</summary>
public static class CSharpSwarm
{
    public static async Task<SwarmResult> RunAsync(SwarmSettings settings)
    {
        var hosts = new List<Libp2pHost>();
        var nodes = new List<Gossipsub>();
        var pumps = new List<Task>();
        var sentAt = new long[settings.Messages];
        var latencies = new List<double>(settings.Messages * settings.Nodes);
        long deliveries = 0;
        using var stop = new CancellationTokenSource();
        try
        {
            for (var i = 0; i < settings.Nodes; i++)
            {
                var host = new Libp2pHost(Ed25519PrivateKey.Generate(new Random(settings.Seed * 100 + i)),
                    new NetworkOptions { ListenAddresses = ["/ip4/127.0.0.1/tcp/0"] });
                await host.StartAsync();
                var options = new GossipsubOptions();
                options.Score.IPColocationFactorWeight = 0;
                var node = Gossipsub.Create(host, options, random: new Random(i));
                var subscription = node.Subscribe(SwarmSettings.Topic);
                pumps.Add(Task.Run(async () =>
                {
                    try
                    {
                        await foreach (var message in subscription.WithCancellation(stop.Token))
                        {
                            var now = Stopwatch.GetTimestamp();
                            var index = (int)BinaryPrimitives.ReadUInt64BigEndian(message.Data.Span);
                            var elapsed = Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[index]), now).TotalMilliseconds;
                            lock (latencies)
                            {
                                latencies.Add(elapsed);
                                deliveries++;
                            }
                        }
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }));
                hosts.Add(host);
                nodes.Add(node);
            }
            foreach (var (from, to) in settings.Edges())
            {
                await hosts[from].DialAsync(hosts[to].ListenAddresses[0].WithPeerId(hosts[to].LocalPeerId));
            }
            await Task.Delay(SwarmSettings.WarmupMs);
            var duplicatesBefore = nodes.Sum(n => n.Router.DuplicateMessages);

            var publishers = settings.Publishers();
            var payload = new byte[settings.Size];
            var began = Stopwatch.GetTimestamp();
            for (var m = 0; m < settings.Messages; m++)
            {
                var due = TimeSpan.FromSeconds((double)m / settings.Rate);
                var wait = due - Stopwatch.GetElapsedTime(began);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
                BinaryPrimitives.WriteUInt64BigEndian(payload, (ulong)m);
                Volatile.Write(ref sentAt[m], Stopwatch.GetTimestamp());
                await nodes[publishers[m]].PublishAsync(SwarmSettings.Topic, payload);
            }
            // Drain: wait until no delivery arrived for 3 s (at most 60 s), so late messages count as late, not lost.
            long last = -1;
            for (var waited = 0; waited < 60 && Interlocked.Read(ref deliveries) != last; waited += 3)
            {
                last = Interlocked.Read(ref deliveries);
                await Task.Delay(3000);
            }
            var duplicates = nodes.Sum(n => n.Router.DuplicateMessages) - duplicatesBefore;
            lock (latencies)
            {
                latencies.Sort();
                return new SwarmResult("C#", settings.Messages, deliveries, (long)settings.Messages * (settings.Nodes - 1),
                    Percentile(latencies, 0.5), Percentile(latencies, 0.99), duplicates);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(pumps);
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
