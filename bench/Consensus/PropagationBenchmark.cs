using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using P2P.Consensus.Blocks;
using P2P.Consensus.Genesis;
using P2P.Consensus.Simulation.Chain;
using P2P.Testing;

namespace P2P.Bench.Consensus;

/// <summary>
/// Block propagation (issue 13, acceptance 5): four real <c>p2pd run</c> processes mine one devnet-profile chain on
/// loopback; for each block, the time from its miner applying it (the moment it was mined) to the last of the four
/// applying it, read from each node's own apply times (<c>GET /api/v1/blocks/{height}</c>: <c>appliedAt</c>,
/// <c>appliedFrom</c>) on this one machine's clock. Baselines from the same run: the libp2p ping round trip between
/// the same processes, and applying the same blocks in this process (decode, validate, connect on LevelDB).
/// </summary>
internal static class PropagationBenchmark
{
    private const int Nodes = 4;

    public static async Task RunAsync(string root, int blocks)
    {
        // Devnet rules with 2-second blocks at an easy start, so that the blocks come quickly on any machine.
        var genesis = GenesisConfig.Devnet(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "bench-propagation") with
        {
            TargetBlockSeconds = 2,
            InitialBits = 0x1f040000,
            AsertHalfLifeSeconds = 20,
        };
        string genesisFile = Path.Combine(root, "propagation-genesis.json");
        await File.WriteAllTextAsync(genesisFile, genesis.ToJson());
        string[] arguments = [$"--Chain:Genesis={genesisFile}", "--Mining:Enabled=true", "--Mining:Threads=1", "--Discovery:DiscoveryIntervalSeconds=1"];

        var nodes = new List<LoopbackDaemon>();
        try
        {
            nodes.Add(await LoopbackDaemon.StartAsync(Path.Combine(root, "propagation-0"), null, arguments));
            string bootstrap = await nodes[0].AddressAsync();
            for (int i = 1; i < Nodes; i++) nodes.Add(await LoopbackDaemon.StartAsync(Path.Combine(root, $"propagation-{i}"), bootstrap, arguments));

            // Measure from the first block after all four agree with every node connected to all the others.
            ulong start = 0;
            if (!await Wait.UntilAsync(async () =>
                {
                    var views = await Task.WhenAll(nodes.Select(HeadAsync));
                    var peers = await Task.WhenAll(nodes.Select(async n => (await n.GetAsync("api/v1/peers")).GetProperty("peers").GetArrayLength()));
                    start = views[0].Height;
                    return views.Distinct().Count() == 1 && peers.All(p => p >= Nodes - 1);
                }, TimeSpan.FromMinutes(3)))
                throw new TimeoutException("the four nodes did not connect and agree");
            ulong last = start + (ulong)blocks;
            if (!await Wait.UntilAsync(async () => (await Task.WhenAll(nodes.Select(HeadAsync))).All(v => v.Height > last), TimeSpan.FromMinutes(10)))
                throw new TimeoutException($"the nodes did not reach height {last + 1}");

            var delays = new List<double>();
            var perNode = new List<double>();
            var sources = new Dictionary<string, int>(StringComparer.Ordinal);
            var encoded = new List<Block>();
            for (ulong height = start + 1; height <= last; height++)
            {
                var answers = await Task.WhenAll(nodes.Select(n => n.GetAsync($"api/v1/blocks/{height}")));
                if (answers.Select(a => a.GetProperty("hash").GetString()).Distinct().Count() != 1) throw new InvalidOperationException($"the nodes disagree on block {height}");
                var applied = answers.Select(a => (At: a.GetProperty("appliedAt").GetDateTimeOffset(), From: a.GetProperty("appliedFrom").GetString()!)).ToList();
                var mined = applied.Where(a => a.From == "mined").Select(a => a.At).DefaultIfEmpty(applied.Min(a => a.At)).Min();
                delays.Add((applied.Max(a => a.At) - mined).TotalMilliseconds);
                foreach (var (at, from) in applied)
                {
                    sources[from] = sources.GetValueOrDefault(from) + 1;
                    if (from != "mined") perNode.Add((at - mined).TotalMilliseconds);
                }
                encoded.Add(Decode(answers[0], genesis));
            }
            var rtts = new List<double>();
            foreach (var node in nodes)
            {
                foreach (var peer in (await node.GetAsync("api/v1/peers")).GetProperty("peers").EnumerateArray())
                    if (peer.GetProperty("latencyMs") is { ValueKind: JsonValueKind.Number } rtt) rtts.Add(rtt.GetDouble());
            }
            double apply = await LocalApplyMillisecondsAsync(genesis, nodes[0], start, encoded, root);

            double p50 = Percentile(delays, 0.50), p99 = Percentile(delays, 0.99);
            Console.WriteLine($"[propagation] {blocks} blocks (heights {start + 1}..{last}) mined by {Nodes} p2pd processes on loopback, 1 mining thread each: " +
                              $"mined → applied on all {Nodes}: p50 {p50:F1} ms, p99 {p99:F1} ms, max {delays.Max():F1} ms; " +
                              $"to each other node: p50 {Percentile(perNode, 0.50):F1} ms (arrivals: {string.Join(", ", sources.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}"))})");
            if (rtts.Count > 0)
                Console.WriteLine($"[propagation] baseline: libp2p ping RTT between the same processes p50 {Percentile(rtts, 0.50):F2} ms: " +
                                  $"p50 propagation = {p50 / Percentile(rtts, 0.50):F2}x, p99 = {p99 / Percentile(rtts, 0.50):F2}x one round trip (the RTT is the connections' moving average since they opened)");
            Console.WriteLine($"[propagation] baseline: the same blocks applied in this process {apply:F2} ms per block: " +
                              $"p50 propagation = {p50 / apply:F1}x, p99 = {p99 / apply:F1}x one local apply");
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    private static async Task<(ulong Height, string Hash, string Digest)> HeadAsync(LoopbackDaemon node)
    {
        var chain = await node.GetAsync("api/v1/chain");
        return (chain.GetProperty("height").GetUInt64(), chain.GetProperty("headHash").GetString()!, chain.GetProperty("stateDigest").GetString()!);
    }

    /// <summary>Applies the chain up to the measured blocks in a fresh store, then times the measured blocks (best of 3 stores).</summary>
    private static async Task<double> LocalApplyMillisecondsAsync(GenesisConfig genesis, LoopbackDaemon node, ulong start, List<Block> measured, string root)
    {
        var prefix = new List<Block>();
        for (ulong height = 1; height <= start; height++)
            prefix.Add(Decode(await node.GetAsync($"api/v1/blocks/{height}"), genesis));
        double best = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            using var chain = CoreChain.Open(genesis, Path.Combine(root, $"propagation-local-{round}"));
            foreach (var block in prefix) Submit(chain, block);
            var watch = Stopwatch.StartNew();
            foreach (var block in measured) Submit(chain, block);
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds / measured.Count);
        }
        return best;
    }

    private static Block Decode(JsonElement answer, GenesisConfig genesis) =>
        BlockCodec.TryDecode(Convert.FromHexString(answer.GetProperty("encoded").GetString()!), genesis.MaxBlockBytes, out var block, out var reason)
            ? block! : throw new InvalidOperationException($"the API served an undecodable block: {reason}");

    private static void Submit(CoreChain chain, Block block)
    {
        if (chain.Submit(block, block.Header.Timestamp).Status != SubmitStatus.Accepted)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"block {block.Header.Height} was refused locally"));
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];
    }
}
