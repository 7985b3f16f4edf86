using P2P.Daemon.Cli;

namespace P2P.Daemon.Tests.Cli;

public class CliUsageTests
{
    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliRoot.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("init", "--help")]
    [InlineData("run", "--help")]
    [InlineData("status", "--help")]
    [InlineData("peers", "--help")]
    [InlineData("version", "--help")]
    public async Task Help_IsAvailableEverywhere(params string[] args)
    {
        var (exit, output, _) = await Run(args);
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output);
    }

    [Fact]
    public async Task RootHelp_ListsThePublicCommands_ButNotTheDiagnosticOne()
    {
        var (_, output, _) = await Run("--help");
        foreach (var command in new[] { "init", "run", "status", "peers", "version" }) Assert.Contains(command, output);
        Assert.DoesNotContain("diag-storage-crash", output);
    }

    [Fact]
    public async Task Version_PrintsDaemonRuntimeAndLevelDbVersions()
    {
        var (exit, output, _) = await Run("version");
        Assert.Equal(0, exit);
        Assert.Matches(@"^p2pd 0\.1\.0", output);
        Assert.Matches(@"leveldb\s+\d+\.\d+", output);
        Assert.Contains(".NET", output);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("frobnicate")]
    [InlineData("init", "--forse")]
    public async Task UsageErrors_Exit2(params string[] args)
    {
        var (exit, _, error) = await Run(args);
        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.StartsWith("p2pd: ", error);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("peers")]
    public async Task Query_WithNoDaemonListening_Exits1WithOneLineNamingTheAddressTried(string command)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (exit, output, error) = await Run(command, "--data-dir", Path.GetTempPath(), $"--Api:Port={port}");
        Assert.Equal(ExitCodes.Failure, exit);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith($"p2pd: no daemon answered at http://127.0.0.1:{port}/ (is 'p2pd run' up with the same --data-dir and Api settings?)", line);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("peers")]
    public async Task Query_WithABadSetting_Exits2NamingTheKey(string command)
    {
        var (exit, _, error) = await Run(command, "--data-dir", Path.GetTempPath(), "--Api:Port=0");
        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.StartsWith("p2pd: Api:Port: 0 is not a valid TCP port", error);
    }

    [Theory]
    [InlineData("0.1.0+9635d15c58ada44c41fa77520049ac8fd38f05e8", "0.1.0+9635d15c58ad")]
    [InlineData("0.1.0+9635d15c58ad", "0.1.0+9635d15c58ad")]
    [InlineData("0.1.0", "0.1.0")]
    [InlineData("0.1.0+local.build", "0.1.0+local.build")]
    public void Version_CutsTheGitRevisionTo12Digits(string informational, string shown)
    {
        Assert.Equal(shown, P2P.Daemon.Node.DaemonVersion.Shorten(informational));
        Assert.Matches(@"^0\.1\.0(\+[0-9a-f]{12})?$", P2P.Daemon.Node.DaemonVersion.Text);
    }

    [Fact]
    public void StatusCommand_ReachesWildcardBindAddressesThroughLoopback_AndFormatsUptime()
    {
        Assert.Equal("http://127.0.0.1:9480/", DaemonApiClient.ApiBaseAddress(new() { BindAddress = "0.0.0.0" }).ToString());
        Assert.Equal("http://[::1]:81/", DaemonApiClient.ApiBaseAddress(new() { BindAddress = "::", Port = 81 }).ToString());
        Assert.Equal("01:02:03", StatusCommand.FormatUptime(new TimeSpan(1, 2, 3)));
        Assert.Equal("2d 00:00:05", StatusCommand.FormatUptime(new TimeSpan(2, 0, 0, 5)));
    }
}
