using System.Globalization;
using P2P.Consensus.Simulation.Chain;
using P2P.Testing;
using Xunit.Abstractions;

namespace P2P.Consensus.Simulation.Tests.Crash;

/// <summary>
/// Acceptance 5: a child process applying blocks to a chain store (fsync on, as a node runs) is killed with SIGKILL at
/// random points, at least 20 times; every restart opens the store with paranoid checks (LevelDB's and the chain's own
/// consistency checks), reports a digest equal to a clean replay's at the same height, and continues from there.
/// </summary>
public sealed class ChainCrashSafetyTests(ITestOutputHelper output)
{
    private const int Kills = 20;
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void ChainKilledAtRandomPoints_ReopensConsistent_AndContinues()
    {
        Assert.True(File.Exists(CrashChildProcess.Dll), $"crash child not built at {CrashChildProcess.Dll}");
        using var temp = new TempDirectory();

        // A real chain with shares and several closed epochs, mined by a small deterministic simulation.
        var genesis = SimulationGenesis.Create(epochLength: 8, shareShift: 3);
        var settings = SimulationFixture.Settings10(seed: 21, genesis, nodes: 3);
        IReadOnlyList<P2P.Consensus.Blocks.Block> blocks;
        using (var simulation = new ConsensusSimulation(settings, (_, dir) => CoreChain.Open(genesis, dir), temp.Sub("sim")))
        {
            simulation.MineToAgreedHeight(80, maxVirtualSeconds: 80 * 60 * 10);
            blocks = simulation.Nodes[0].Chain.MainChain();
        }
        string genesisFile = temp.Sub("genesis.json"), blockFile = temp.Sub("blocks.bin"), store = temp.Sub("store");
        File.WriteAllText(genesisFile, genesis.ToJson());
        BlockFile.Write(blockFile, blocks);

        // The clean replay: the digest after every height.
        var expected = new List<string>();
        using (var clean = CoreChain.Open(genesis, temp.Sub("clean")))
        {
            expected.Add(Hex(clean.Snapshot().Digest));
            foreach (var block in blocks)
            {
                Assert.Equal(SubmitStatus.Accepted, clean.Submit(block, block.Header.Timestamp).Status);
                expected.Add(Hex(clean.Snapshot().Digest));
            }
        }
        Assert.Equal(blocks.Count + 1, expected.Count);

        var random = new Random(5);
        int kills = 0, starts = 0, completions = 0, killedBeforeOpen = 0;
        var heightsAtKill = new List<int>();
        while ((kills < Kills || completions == 0) && starts < 200)
        {
            starts++;
            using var child = CrashChildProcess.Start(genesisFile, blockFile, store);
            bool killEarly = kills < Kills && random.Next(5) == 0;
            if (killEarly)
            {
                // Somewhere in start-up, opening or the first blocks.
                Thread.Sleep(random.Next(50, 400));
                int code = child.KillAndWait(LineTimeout);
                if (code == 137) { kills++; killedBeforeOpen++; heightsAtKill.Add(-1); }
                continue;
            }

            string opened = child.NextLine(LineTimeout) ?? throw new Xunit.Sdk.XunitException($"no 'opened' line; stderr: {string.Join('\n', child.Error)}");
            var parts = opened.Split(' ');
            Assert.Equal("opened", parts[0]);
            int height = int.Parse(parts[1], CultureInfo.InvariantCulture);
            Assert.Equal(expected[height], parts[3]);

            bool done = false;
            if (kills < Kills)
            {
                // Let it apply for a random moment, then SIGKILL wherever it is.
                var stopAt = DateTime.UtcNow.AddMilliseconds(random.Next(0, 40));
                int lastApplied = height;
                while (!done && DateTime.UtcNow < stopAt && child.NextLine(TimeSpan.FromMilliseconds(1)) is { } line)
                    done = Check(line, expected, blocks.Count, ref lastApplied);
                int code = child.KillAndWait(LineTimeout);
                if (code == 137)
                {
                    kills++;
                    heightsAtKill.Add(lastApplied);
                    continue;
                }
                Assert.Equal(0, code); // it finished before the kill landed
            }

            int last = height;
            for (string? line; !done && (line = child.NextLine(LineTimeout)) is not null;)
                done = Check(line, expected, blocks.Count, ref last);
            Assert.True(done, "the child printed its final digest");
            Assert.Equal(0, child.WaitForExit(LineTimeout));
            completions++;
            if (kills < Kills) Directory.Delete(store, recursive: true); // start over to crash it some more
        }

        output.WriteLine($"{blocks.Count} blocks, {starts} starts, {kills} SIGKILLs ({killedBeforeOpen} during start-up), {completions} completions; last height printed before each kill: {string.Join(' ', heightsAtKill)}");
        Assert.True(kills >= Kills, $"only {kills} kills");
        Assert.True(completions >= 1, "the chain was applied to the end");
    }

    /// <summary>Checks an "applied h d" or "done h d" line against the clean replay; true for "done" at the last height.</summary>
    private static bool Check(string line, List<string> expected, int lastHeight, ref int height)
    {
        var parts = line.Split(' ');
        Assert.Contains(parts[0], new[] { "applied", "done" });
        height = int.Parse(parts[1], CultureInfo.InvariantCulture);
        Assert.Equal(expected[height], parts[2]);
        if (parts[0] != "done") return false;
        Assert.Equal(lastHeight, height);
        return true;
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
