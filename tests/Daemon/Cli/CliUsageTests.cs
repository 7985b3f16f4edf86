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
        foreach (var command in new[] { "init", "run", "status", "version" }) Assert.Contains(command, output);
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

    [Fact]
    public async Task Status_WithNoDaemonListening_Exits1WithTheAddressTried()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (exit, _, error) = await Run("status", "--data-dir", Path.GetTempPath(), $"--Api:Port={port}");
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains($"http://127.0.0.1:{port}/", error);
    }

    [Fact]
    public void StatusCommand_ReachesWildcardBindAddressesThroughLoopback_AndFormatsUptime()
    {
        Assert.Equal("http://127.0.0.1:9480/", StatusCommand.ApiBaseAddress(new() { BindAddress = "0.0.0.0" }).ToString());
        Assert.Equal("http://[::1]:81/", StatusCommand.ApiBaseAddress(new() { BindAddress = "::", Port = 81 }).ToString());
        Assert.Equal("01:02:03", StatusCommand.FormatUptime(new TimeSpan(1, 2, 3)));
        Assert.Equal("2d 00:00:05", StatusCommand.FormatUptime(new TimeSpan(2, 0, 0, 5)));
    }
}
