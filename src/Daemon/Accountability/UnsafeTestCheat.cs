using P2P.Consensus.Genesis;
using P2P.Daemon.Configuration;
using P2P.InferenceNetwork.Cheats;

namespace P2P.Daemon.Accountability;

/// <summary>The guard on <c>--unsafe-test-cheat</c>: only on a chain whose genesis uses the devnet work profile (nothing of value is at stake there).</summary>
public static class UnsafeTestCheat
{
    /// <exception cref="ConfigurationException">a cheat is set and the chain is not a devnet (exit code 2).</exception>
    public static void Check(AccountabilityOptions options, GenesisConfig? genesis)
    {
        if (options.Cheat == ExecutorCheat.None) return;
        if (genesis is null || genesis.WorkProfile != P2P.Work.WorkProfile.Devnet.Name)
            throw new ConfigurationException("--unsafe-test-cheat", $"test cheat '{options.UnsafeTestCheat}' is refused: only a devnet genesis (work profile '{P2P.Work.WorkProfile.Devnet.Name}') allows it");
    }
}
