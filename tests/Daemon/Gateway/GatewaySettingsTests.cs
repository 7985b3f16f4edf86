using P2P.Daemon.Cli;
using P2P.Daemon.Configuration;
using P2P.Daemon.Gateway.Access;
using P2P.Daemon.Hosting;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Gateway;

/// <summary>The <c>Gateway</c> section: defaults, range checks and the key file's checks, each naming its key.</summary>
public sealed class GatewaySettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private DaemonSettings Load(params string[] commandLine) =>
        DaemonSettings.Load(_temp.Path, null, commandLine, new ProcessEnvironment(new Dictionary<string, string>(), IsRoot: false, HomeDirectory: "/home/test"), ConfigSections.All);

    private string KeysFile(string text, UnixFileMode mode)
    {
        var path = Path.Combine(_temp.Path, "gateway.keys");
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    [Fact]
    public void Defaults_OpenOnLoopbackWithGenerousLimits()
    {
        var gateway = Load().Get<GatewayOptions>();
        Assert.False(gateway.KeysRequired);
        Assert.Equal(600, gateway.RateLimitRequestsPerMinute);
        Assert.Equal(100, gateway.RateLimitBurst);
        Assert.Equal(16, gateway.MaxConcurrentRequestsPerClient);
    }

    [Theory]
    [InlineData("--Gateway:RateLimitRequestsPerMinute=-1", "Gateway:RateLimitRequestsPerMinute")]
    [InlineData("--Gateway:RateLimitBurst=0", "Gateway:RateLimitBurst")]
    [InlineData("--Gateway:MaxConcurrentRequestsPerClient=-5", "Gateway:MaxConcurrentRequestsPerClient")]
    [InlineData("--Gateway:ApiKeysFile=no-such.keys", "Gateway:ApiKeysFile")]
    public void InvalidGatewaySettings_NameTheKey(string argument, string key)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(argument));
        Assert.Equal(key, error.Subject);
    }

    [Fact]
    public void KeysFile_WithABadKey_IsRefusedNamingTheKeyAndLine()
    {
        KeysFile("too-short\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var error = Assert.Throws<ConfigurationException>(() => Load("--Gateway:ApiKeysFile=gateway.keys"));
        Assert.Equal("Gateway:ApiKeysFile", error.Subject);
        Assert.Contains("line 1", error.Message);
    }

    [Fact]
    public void KeysFile_RelativeToTheDataDirectory_IsAccepted()
    {
        KeysFile("sk-test-aaaaaaaaaaaaaaaaaaaaaaaa\n", UnixFileMode.UserRead);
        Assert.True(Load("--Gateway:ApiKeysFile=gateway.keys").Get<GatewayOptions>().KeysRequired);
    }

    [Fact]
    public async Task Run_WithAWorldReadableKeysFile_Exits2NamingTheKey()
    {
        var path = KeysFile("sk-test-aaaaaaaaaaaaaaaaaaaaaaaa\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var error = new StringWriter();
        var exit = await CliRoot.RunAsync(["run", "--data-dir", _temp.Path, $"--Gateway:ApiKeysFile={path}"], new StringWriter(), error);

        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.StartsWith("p2pd: Gateway:ApiKeysFile: ", error.ToString());
        Assert.Contains("accessible by group or others (mode 0644)", error.ToString());
    }

    public void Dispose() => _temp.Dispose();
}
