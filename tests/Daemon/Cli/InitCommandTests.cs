using P2P.Daemon.Cli;
using P2P.Daemon.Configuration;
using P2P.Daemon.Hosting;
using P2P.Daemon.Tests.Support;
using P2P.Networking.Identity;

namespace P2P.Daemon.Tests.Cli;

public sealed class InitCommandTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _temp = new();

    private string DataDirectory => _temp.Sub("data");

    private (int Exit, string Output, string Error) Init(params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CliRoot.RunAsync(["init", "--data-dir", DataDirectory, .. extra], output, error).GetAwaiter().GetResult();
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Init_CreatesKeyAndTokenWithMode0600_AndALoadableConfig()
    {
        var (exit, output, _) = Init();
        Assert.Equal(0, exit);
        var directory = new DataDirectory(DataDirectory);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(directory.NodeKeyFile));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(directory.ApiTokenFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(DataDirectory));
        Assert.Contains(NodeKeyFile.Load(directory.NodeKeyFile).PeerId.ToString(), output);
        Assert.True(File.ReadAllText(directory.ApiTokenFile).Trim().Length >= 40);
        Assert.Equal(DefaultConfigFile.Text, File.ReadAllText(directory.ConfigFile));
        DaemonSettings.Load(DataDirectory, null, [], new ProcessEnvironment(new Dictionary<string, string>(), false, "/nonexistent"), ConfigSections.All);
    }

    [Fact]
    public void InitTwice_WithoutForce_RefusesAndKeepsTheFirstKeyAndToken()
    {
        Assert.Equal(0, Init().Exit);
        var directory = new DataDirectory(DataDirectory);
        var key = File.ReadAllBytes(directory.NodeKeyFile);
        var token = File.ReadAllText(directory.ApiTokenFile);

        var (exit, _, error) = Init();
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("already exists", error);
        Assert.Contains("--force", error);
        Assert.Equal(key, File.ReadAllBytes(directory.NodeKeyFile));
        Assert.Equal(token, File.ReadAllText(directory.ApiTokenFile));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(directory.NodeKeyFile));
    }

    [Fact]
    public void InitWithForce_ReplacesKeyAndToken_ButKeepsAnEditedConfig()
    {
        Assert.Equal(0, Init().Exit);
        var directory = new DataDirectory(DataDirectory);
        var firstPeer = NodeKeyFile.Load(directory.NodeKeyFile).PeerId;
        var firstToken = File.ReadAllText(directory.ApiTokenFile);
        File.WriteAllText(directory.ConfigFile, """{ "Api": { "Port": 9999 } }""");

        var (exit, output, _) = Init("--force");
        Assert.Equal(0, exit);
        Assert.NotEqual(firstPeer, NodeKeyFile.Load(directory.NodeKeyFile).PeerId);
        Assert.NotEqual(firstToken, File.ReadAllText(directory.ApiTokenFile));
        Assert.Contains("(kept)", output);
        Assert.Contains("9999", File.ReadAllText(directory.ConfigFile));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(directory.NodeKeyFile));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(directory.ApiTokenFile));
    }

    [Fact]
    public async Task KeyWithoutToken_IsRepairedByInit_WithTheSameIdentity_AndRunSaysSo()
    {
        Assert.Equal(0, Init().Exit);
        var directory = new DataDirectory(DataDirectory);
        var peer = NodeKeyFile.Load(directory.NodeKeyFile).PeerId;
        var key = File.ReadAllBytes(directory.NodeKeyFile);
        File.Delete(directory.ApiTokenFile);

        var runError = new StringWriter();
        Assert.Equal(ExitCodes.Configuration, await CliRoot.RunAsync(["run", "--data-dir", DataDirectory], new StringWriter(), runError));
        Assert.Equal($"p2pd: {directory.ApiTokenFile}: API token not found; run 'p2pd init --data-dir {DataDirectory}' to write a new one (the node key and peer id are kept)", runError.ToString().Trim());

        var (exit, output, _) = Init();
        Assert.Equal(0, exit);
        Assert.StartsWith($"repaired {DataDirectory}: the API token was missing", output);
        Assert.Contains($"{peer} (kept)", output);
        Assert.Equal(key, File.ReadAllBytes(directory.NodeKeyFile));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(directory.ApiTokenFile));
        Assert.True(File.ReadAllText(directory.ApiTokenFile).Trim().Length >= P2P.Daemon.Api.ApiToken.MinLength);
    }

    [Fact]
    public void TemporaryFilesOfAKilledInit_AreRemoved_AndATokenWithoutKeyIsKept()
    {
        Directory.CreateDirectory(DataDirectory);
        var directory = new DataDirectory(DataDirectory);
        File.WriteAllText(directory.NodeKeyFile + ".4242.tmp", "half a key");
        File.WriteAllText(directory.ConfigFile + ".4242.tmp", "{ \"Api\": ");
        P2P.Daemon.Api.ApiToken.Generate().Write(directory.ApiTokenFile, overwrite: false);
        var token = File.ReadAllText(directory.ApiTokenFile);

        var (exit, output, _) = Init();
        Assert.Equal(0, exit);
        Assert.Contains("(kept)", output);
        Assert.Equal(token, File.ReadAllText(directory.ApiTokenFile));
        Assert.Empty(Directory.GetFiles(DataDirectory, "*.tmp"));
        Assert.Equal(DefaultConfigFile.Text, File.ReadAllText(directory.ConfigFile));
    }

    public void Dispose() => _temp.Dispose();
}
