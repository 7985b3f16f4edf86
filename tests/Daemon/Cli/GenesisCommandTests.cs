using P2P.Consensus.Encoding;
using P2P.Consensus.Genesis;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Cli;

/// <summary><c>p2pd genesis new</c> run as the built daemon in a child process.</summary>
public sealed class GenesisCommandTests : IDisposable
{
    private const long Timestamp = 1_767_225_600;
    private readonly TempDirectory _temp = new();

    private static async Task<DaemonProcess> GenesisNew(params string[] arguments)
    {
        var daemon = await DaemonProcess.RunToExitAsync(["genesis", "new", .. arguments]);
        Assert.True(daemon.HasExited, "p2pd genesis new did not exit");
        return daemon;
    }

    private static string PrintedChainId(DaemonProcess daemon)
    {
        var match = System.Text.RegularExpressions.Regex.Match(daemon.StandardOutput, "chain id ([0-9a-f]{64})");
        Assert.True(match.Success, $"no chain id in: {daemon.StandardOutput}{daemon.StandardError}");
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task GenesisNew_WritesAFileThatParsesBackToThePrintedChainId()
    {
        var path = _temp.Sub("genesis.json");

        var daemon = await GenesisNew("--out", path, "--timestamp", Timestamp.ToString(), "--name", "cli-test");

        Assert.Equal(ExitCodes.Success, daemon.ExitCode);
        var chainId = PrintedChainId(daemon);
        var genesis = GenesisConfig.Load(path);
        Assert.Equal(chainId, Hashing.Hex(genesis.ChainId));
        Assert.Equal("devnet", genesis.WorkProfile);
        Assert.Equal("cli-test", genesis.ChainName);
        Assert.Equal(Timestamp, genesis.Timestamp);
        Assert.Equal(GenesisConfig.ForProfile("devnet", Timestamp, "cli-test").ChainId, genesis.ChainId);
    }

    [Fact]
    public async Task GenesisNew_WithStandardProfile_GivesAnotherChainId()
    {
        var devnetPath = _temp.Sub("devnet.json");
        var standardPath = _temp.Sub("standard.json");

        var devnet = await GenesisNew("--out", devnetPath, "--timestamp", Timestamp.ToString());
        var standard = await GenesisNew("--profile", "standard", "--out", standardPath, "--timestamp", Timestamp.ToString());

        Assert.Equal(ExitCodes.Success, devnet.ExitCode);
        Assert.Equal(ExitCodes.Success, standard.ExitCode);
        Assert.NotEqual(PrintedChainId(devnet), PrintedChainId(standard));
        Assert.Equal("standard", GenesisConfig.Load(standardPath).WorkProfile);
        Assert.Equal(PrintedChainId(standard), Hashing.Hex(GenesisConfig.Load(standardPath).ChainId));
    }

    [Theory]
    [InlineData("--profile", "huge")]
    [InlineData("--timestamp", "yesterday")]
    [InlineData("--frobnicate")]
    public async Task GenesisNew_WithBadArguments_Exits2WithAMessageAndWritesNothing(params string[] arguments)
    {
        var path = _temp.Sub("genesis.json");

        var daemon = await GenesisNew(["--out", path, .. arguments]);

        Assert.Equal(ExitCodes.Configuration, daemon.ExitCode);
        Assert.StartsWith("p2pd: ", daemon.StandardError);
        Assert.Contains(arguments[^1], daemon.StandardError);
        Assert.False(File.Exists(path));
    }

    public void Dispose() => _temp.Dispose();
}
