using P2P.Consensus.Genesis;
using P2P.Consensus.Simulation.Chain;

// The child of the crash-safety test (acceptance 5): opens a chain store with paranoid checks, says where it stands,
// then applies the blocks of a file in order from its head, printing the state digest after each block, until the
// parent kills it with SIGKILL or the file ends. Output lines (stdout, flushed per line):
//   opened <height> <head hash> <digest>
//   applied <height> <digest>
//   done <height> <digest>
// Exit codes: 0 done, 2 usage, 3 a block was refused (the file is a valid chain, so that is a bug).
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: P2P.Consensus.CrashChild <genesis.json> <blocks file> <store directory>");
    return 2;
}

var genesis = GenesisConfig.Load(args[0]);
var blocks = BlockFile.Read(args[1]);
using var chain = CoreChain.Open(genesis, args[2], paranoidChecks: true);
var stdout = Console.Out;
stdout.WriteLine($"opened {chain.Head.Height} {Convert.ToHexStringLower(chain.Head.Hash)} {Convert.ToHexStringLower(chain.Snapshot().Digest)}");
stdout.Flush();

for (int i = (int)chain.Head.Height; i < blocks.Count; i++)
{
    var block = blocks[i];
    // The clock is the block's own time: the file is a valid chain, so no timestamp is ahead of it.
    var outcome = chain.Submit(block, block.Header.Timestamp);
    if (outcome.Status != SubmitStatus.Accepted || !outcome.HeadChanged)
    {
        Console.Error.WriteLine($"block {block.Header.Height}: {outcome.Status} {outcome.Reason}");
        return 3;
    }
    stdout.WriteLine($"applied {chain.Head.Height} {Convert.ToHexStringLower(chain.Snapshot().Digest)}");
    stdout.Flush();
}
stdout.WriteLine($"done {chain.Head.Height} {Convert.ToHexStringLower(chain.Snapshot().Digest)}");
stdout.Flush();
return 0;
