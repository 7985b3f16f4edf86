using P2P.Bench.Pubsub;

// Gossipsub swarm benchmark: the C# swarm beside a js-libp2p swarm with the same size, topology, rate and
// publishers, in the same run; prints each swarm's figures and the C#/js ratios.
// Usage: P2P.Bench.Pubsub [--nodes 20] [--rate 50] [--seconds 30] [--size 1024] [--seed 1]
var settings = new SwarmSettings(Arg("--nodes", 20), Arg("--rate", 50), Arg("--seconds", 30), Arg("--size", 1024), Arg("--seed", 1));
Console.WriteLine($"gossipsub swarm: {settings.Nodes} nodes on 127.0.0.1, {settings.Edges().Count} links, {settings.Rate} msg/s of {settings.Size} B for {settings.Seconds} s");

var cs = await CSharpSwarm.RunAsync(settings);
Console.WriteLine(cs);
if (JsSwarm.Unavailable(out _, out _, out _) is { } reason)
{
    Console.WriteLine($"js swarm skipped: {reason}");
    return;
}
var js = await JsSwarm.RunAsync(settings);
Console.WriteLine(js);
Console.WriteLine($"ratio C#/js: delivery {cs.DeliveryRatio / js.DeliveryRatio:F3}  p50 latency {cs.P50Ms / js.P50Ms:F4}  p99 latency {cs.P99Ms / js.P99Ms:F4}  duplicates/message {cs.DuplicatesPerMessage / js.DuplicatesPerMessage:F2}");

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
}
