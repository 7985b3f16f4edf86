namespace P2P.Daemon.Tests.Devnet;

/// <summary>Devnet tests run one after another: each brings up a swarm of mining daemons, and two at once would starve a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class DevnetCollection
{
    public const string Name = "Devnet";
}
