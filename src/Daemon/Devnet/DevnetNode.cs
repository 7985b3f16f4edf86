using System.Globalization;

namespace P2P.Daemon.Devnet;

/// <summary>One daemon of a devnet: where its data lives, its loopback ports and peer id, and whether it serves the devnet model.</summary>
public sealed record DevnetNode(int Index, string DataDirectory, int ApiPort, int P2pPort, string PeerId, bool Serves)
{
    public string Name => Index.ToString(CultureInfo.InvariantCulture);

    public Uri ApiUrl => new($"http://127.0.0.1:{ApiPort}/");

    /// <summary>The dashboard is served at the API port's root.</summary>
    public Uri DashboardUrl => ApiUrl;

    public string ListenAddress => $"/ip4/127.0.0.1/tcp/{P2pPort}/p2p/{PeerId}";

    public string LogFile => Path.Combine(DataDirectory, "p2pd.log");

    public string PidFile => Path.Combine(DataDirectory, "p2pd.pid");
}
