using P2P.Consensus.State;
using P2P.Daemon.Api;
using P2P.Daemon.Configuration;
using P2P.Networking.Identity;
using P2P.Storage;

namespace P2P.Daemon.Hosting;

/// <summary>What <c>p2pd run</c> prepared before building the host: settings, identity, API token, the open database and the chain state (null when no chain is configured).</summary>
public sealed record DaemonContext(DaemonSettings Settings, PrivateKey NodeKey, ApiToken ApiToken, LevelDatabase Database, ChainState? Chain = null);
