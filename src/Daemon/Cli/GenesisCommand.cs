using System.CommandLine;
using P2P.Consensus.Encoding;
using P2P.Consensus.Genesis;

namespace P2P.Daemon.Cli;

/// <summary>`p2pd genesis new`: write a genesis file (docs/consensus.md §1) and print its chain id.</summary>
public static class GenesisCommand
{
    public static Command Create()
    {
        var command = new Command("genesis", "Chain genesis files");
        command.Subcommands.Add(CreateNew());
        return command;
    }

    private static Command CreateNew()
    {
        var profile = new Option<string>("--profile") { Description = "work profile: devnet (default), standard or large", DefaultValueFactory = _ => "devnet" };
        profile.AcceptOnlyFromAmong("devnet", "standard", "large");
        var output = new Option<string?>("--out") { Description = "file to write (default: standard output)" };
        var name = new Option<string>("--name") { Description = "chain name", DefaultValueFactory = _ => "p2p-devnet" };
        var timestamp = new Option<long?>("--timestamp") { Description = "genesis time in Unix seconds (default: now)" };
        var peers = new Option<string[]>("--bootstrap") { Description = "bootstrap peer multiaddress (repeatable)", AllowMultipleArgumentsPerToken = true };
        var create = new Command("new", "Write a new genesis file with the defaults of a profile and print its chain id") { profile, output, name, timestamp, peers };
        create.SetAction(result =>
        {
            var error = result.InvocationConfiguration.Error;
            long time = result.GetValue(timestamp) ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var genesis = GenesisConfig.ForProfile(result.GetValue(profile)!, time, result.GetValue(name)!, result.GetValue(peers) ?? []);
            try
            {
                genesis.Validate();
            }
            catch (FormatException e)
            {
                error.WriteLine(e.Message);
                return ExitCodes.Configuration;
            }
            string json = genesis.ToJson();
            string? path = result.GetValue(output);
            if (path is null)
            {
                result.InvocationConfiguration.Output.WriteLine(json);
                return ExitCodes.Success;
            }
            try
            {
                File.WriteAllText(path, json + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"cannot write {path}: {e.Message}");
                return ExitCodes.Failure;
            }
            result.InvocationConfiguration.Output.WriteLine($"wrote {path}, chain id {Hashing.Hex(genesis.ChainId)}");
            return ExitCodes.Success;
        });
        return create;
    }
}
