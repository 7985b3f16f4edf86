namespace P2P.Consensus.Genesis;

/// <summary>A model the network serves: a name and where its weights come from ("seeded:&lt;architecture&gt;:&lt;seed&gt;" or "sha256:&lt;hex of the weights file&gt;").</summary>
public sealed record GenesisModel(string Name, string Source);
