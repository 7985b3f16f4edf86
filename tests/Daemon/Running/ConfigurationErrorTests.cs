using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Running;

/// <summary>Bad configuration makes <c>p2pd run</c> exit 2 with one line naming the key or path.</summary>
public sealed class ConfigurationErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _dataDirectory;

    public ConfigurationErrorTests()
    {
        _dataDirectory = _temp.Sub("data");
        Assert.Equal(0, InitCommand.Run(_dataDirectory, force: false, new StringWriter(), new StringWriter()));
    }

    [Fact]
    public async Task BadPortInTheEnvironment_Exits2NamingTheKey()
    {
        await using var daemon = await DaemonProcess.RunToExitAsync(["run", "--data-dir", _dataDirectory], new Dictionary<string, string> { ["P2PD__Api__Port"] = "70000" });
        Assert.Equal(ExitCodes.Configuration, daemon.ExitCode);
        Assert.Equal("p2pd: Api:Port: 70000 is not a valid TCP port (1-65535)", daemon.StandardError.Trim());
    }

    [Fact]
    public async Task BadPubsubValueInTheEnvironment_Exits2NamingTheKey()
    {
        await using var daemon = await DaemonProcess.RunToExitAsync(["run", "--data-dir", _dataDirectory], new Dictionary<string, string> { ["P2PD__Pubsub__DLow"] = "9" });
        Assert.Equal(ExitCodes.Configuration, daemon.ExitCode);
        Assert.Equal("p2pd: Pubsub:DLow: 9 must be between 1 and D (6)", daemon.StandardError.Trim());
    }

    [Fact]
    public async Task UnknownKeyOnTheCommandLine_Exits2NamingTheKey()
    {
        await using var daemon = await DaemonProcess.RunToExitAsync(["run", "--data-dir", _dataDirectory, "--Api:Prot=9000"]);
        Assert.Equal(ExitCodes.Configuration, daemon.ExitCode);
        var line = Assert.Single(daemon.StandardError.Trim().Split('\n'));
        Assert.StartsWith("p2pd: Api:Prot: unknown configuration key", line);
    }

    [Fact]
    public async Task MissingConfigFile_Exits2NamingThePath()
    {
        var error = new StringWriter();
        var missing = _temp.Sub("missing.json");
        Assert.Equal(ExitCodes.Configuration, await CliRoot.RunAsync(["run", "--data-dir", _dataDirectory, "--config", missing], new StringWriter(), error));
        Assert.Equal($"p2pd: {missing}: config file not found", error.ToString().Trim());
    }

    [Fact]
    public async Task InvalidJsonConfig_Exits2NamingThePath()
    {
        var error = new StringWriter();
        var broken = _temp.Sub("broken.json");
        File.WriteAllText(broken, "{ \"Api\": { \"Port\": 1 ");
        Assert.Equal(ExitCodes.Configuration, await CliRoot.RunAsync(["run", "--data-dir", _dataDirectory, "--config", broken], new StringWriter(), error));
        Assert.StartsWith($"p2pd: {broken}: config file is not valid JSON", error.ToString());
    }

    [Fact]
    public async Task StoragePathThatCannotBeCreated_Exits2NamingTheKey()
    {
        var error = new StringWriter();
        Assert.Equal(ExitCodes.Configuration, await CliRoot.RunAsync(["run", "--data-dir", _dataDirectory, "--Storage:Path=/proc/p2pd-test/db"], new StringWriter(), error));
        Assert.StartsWith("p2pd: Storage:Path: cannot create database directory /proc/p2pd-test/db", error.ToString());
    }

    [Fact]
    public async Task UninitialisedDataDirectory_Exits2NamingTheNodeKey()
    {
        var error = new StringWriter();
        var empty = _temp.Sub("empty");
        Directory.CreateDirectory(empty);
        Assert.Equal(ExitCodes.Configuration, await CliRoot.RunAsync(["run", "--data-dir", empty], new StringWriter(), error));
        Assert.Equal($"p2pd: {Path.Combine(empty, "node.key")}: node key not found; run 'p2pd init --data-dir {empty}' first", error.ToString().Trim());
    }

    [Fact]
    public async Task MissingLevelDbLibrary_Exits1SayingWhichPackageToInstall()
    {
        await using var daemon = await DaemonProcess.RunToExitAsync(["run", "--data-dir", _dataDirectory],
            new Dictionary<string, string> { ["P2PD_LEVELDB_LIBRARY"] = _temp.Sub("no-such-libleveldb.so") });
        Assert.Equal(ExitCodes.Failure, daemon.ExitCode);
        Assert.Contains("install it with: apt-get install libleveldb1d", daemon.StandardError);
    }

    public void Dispose() => _temp.Dispose();
}
