using System.Globalization;

namespace P2P.Daemon.Devnet;

/// <summary>The <c>p2pd run</c> command line of one devnet node.</summary>
public static class DevnetNodeArguments
{
    /// <summary>
    /// Every node of a local swarm dials from 127.0.0.1, so the per-address handshake limit (default 8) would refuse
    /// the swarm's own simultaneous connections; this leaves room for many nodes and their redials.
    /// </summary>
    public const int HandshakesPerAddress = 256;

    /// <summary>Adverts every few seconds, so that node 0 learns the servers soon after the mesh forms rather than after 30 s.</summary>
    public const int AdvertIntervalSeconds = 5;

    public static IReadOnlyList<string> For(DevnetManifest manifest, DevnetNode node)
    {
        var arguments = new List<string>
        {
            "run", "--init",
            "--data-dir", node.DataDirectory,
            "--Chain:Genesis=" + manifest.GenesisFile,
            Setting("Api:Port", node.ApiPort),
            "--Network:ListenAddresses:0=/ip4/127.0.0.1/tcp/" + node.P2pPort.ToString(CultureInfo.InvariantCulture),
            Setting("Network:MaxPendingHandshakesPerAddress", HandshakesPerAddress),
            Setting("Network:MaxPendingHandshakesPerSubnet", HandshakesPerAddress),
            "--Mining:Enabled=true",
            "--Mining:Threads=1",
            "--Inference:Threads=1",
            Setting("Inference:AdvertIntervalSeconds", AdvertIntervalSeconds),
            // Every client of a local swarm is 127.0.0.1, one partition of the gateway's per-client limit: testers and
            // the soak's clients would share one bucket.
            "--Gateway:RateLimitRequestsPerMinute=0",
        };
        if (node.Index > 0) arguments.Add("--Network:BootstrapPeers:0=" + manifest.Nodes[0].ListenAddress);
        if (node.Serves && manifest.ModelSpec is { } model)
        {
            arguments.Add("--Inference:Enabled=true");
            arguments.Add("--Inference:Models:0:Model=" + model);
        }
        return arguments;
    }

    private static string Setting(string key, int value) => $"--{key}={value.ToString(CultureInfo.InvariantCulture)}";
}
