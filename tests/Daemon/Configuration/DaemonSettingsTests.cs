using Microsoft.Extensions.Logging;
using P2P.Daemon.Api;
using P2P.Daemon.Configuration;
using P2P.Daemon.Hosting;
using P2P.Daemon.Network;
using P2P.Daemon.Storage;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Configuration;

public sealed class DaemonSettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private DaemonSettings Load(Dictionary<string, string>? environment = null, string[]? commandLine = null, string? configFile = null) =>
        DaemonSettings.Load(_temp.Path, configFile, commandLine ?? [], new ProcessEnvironment(environment ?? [], IsRoot: false, HomeDirectory: "/home/test"), ConfigSections.All);

    private ConfigurationException LoadFails(Dictionary<string, string>? environment = null, string[]? commandLine = null, string? configFile = null) =>
        Assert.Throws<ConfigurationException>(() => Load(environment, commandLine, configFile));

    private void WriteConfig(string json) => File.WriteAllText(Path.Combine(_temp.Path, "p2pd.json"), json);

    [Fact]
    public void Defaults_WithoutAnyConfiguration()
    {
        var settings = Load();
        Assert.Equal(ApiOptions.DefaultPort, settings.Get<ApiOptions>().Port);
        Assert.Equal("127.0.0.1", settings.Get<ApiOptions>().BindAddress);
        Assert.Equal(["/ip4/0.0.0.0/tcp/4001"], settings.Get<NetworkOptions>().EffectiveListenAddresses);
        Assert.Equal(Path.Combine(_temp.Path, "db"), settings.Get<StorageOptions>().ResolvePath(settings.DataDirectory));
        Assert.Equal(10, settings.Get<DaemonHostOptions>().ShutdownTimeoutSeconds);
        Assert.False(settings.Get<MiningOptions>().Enabled);
    }

    [Fact]
    public void DefaultConfigFile_WithComments_LoadsAndMatchesTheDefaults()
    {
        WriteConfig(DefaultConfigFile.Text);
        var fromFile = Load();
        File.Delete(Path.Combine(_temp.Path, "p2pd.json"));
        var builtIn = Load();
        foreach (var section in ConfigSections.All)
        {
            var a = System.Text.Json.JsonSerializer.Serialize(Get(fromFile, section.OptionsType));
            var b = System.Text.Json.JsonSerializer.Serialize(Get(builtIn, section.OptionsType));
            Assert.Equal(b, a);
        }
        // Every settable property of every section appears in the default file, so the file documents all keys.
        foreach (var section in ConfigSections.All)
            foreach (var property in section.OptionsType.GetProperties().Where(p => p.CanWrite))
                Assert.Contains($"\"{property.Name}\":", DefaultConfigFile.Text);
    }

    private static object Get(DaemonSettings settings, Type type) =>
        typeof(DaemonSettings).GetMethod(nameof(DaemonSettings.Get))!.MakeGenericMethod(type).Invoke(settings, null)!;

    [Fact]
    public void ConfigFile_AcceptsCommentsAndTrailingCommas()
    {
        WriteConfig("""
            // node settings
            { "Api": { "Port": 1234, /* inline */ }, }
            """);
        Assert.Equal(1234, Load().Get<ApiOptions>().Port);
    }

    [Fact]
    public void OversizedConfigFile_IsRejected()
    {
        WriteConfig("{" + new string(' ', ConfigurationLoader.MaxConfigFileBytes) + "}");
        Assert.Contains("larger than", LoadFails().Message);
    }

    [Fact]
    public void Precedence_CommandLineOverEnvironmentOverFile()
    {
        WriteConfig("""{ "Api": { "Port": 1001, "BindAddress": "127.0.0.2" }, "Mining": { "Threads": 3 } }""");
        var environment = new Dictionary<string, string> { ["P2PD__Api__Port"] = "2002", ["P2PD__Mining__Threads"] = "4" };

        var settings = Load(environment, ["--Api:Port=3003"]);
        Assert.Equal(3003, settings.Get<ApiOptions>().Port);
        Assert.Equal(4, settings.Get<MiningOptions>().Threads);
        Assert.Equal("127.0.0.2", settings.Get<ApiOptions>().BindAddress);

        Assert.Equal(2002, Load(environment).Get<ApiOptions>().Port);
        Assert.Equal(1001, Load().Get<ApiOptions>().Port);
    }

    [Fact]
    public void EnvironmentListItems_AndCommandLineSpaceSeparatedValues_Bind()
    {
        var settings = Load(
            new() { ["P2PD__Network__ListenAddresses__0"] = "/ip4/127.0.0.1/tcp/4002", ["P2PD__Network__ListenAddresses__1"] = "/ip6/::1/tcp/4002", ["UNRELATED"] = "x" },
            ["--Logging:Level", "Debug", "--Logging__Categories__P2P.Networking=Trace"]);
        Assert.Equal(["/ip4/127.0.0.1/tcp/4002", "/ip6/::1/tcp/4002"], settings.Get<NetworkOptions>().EffectiveListenAddresses);
        Assert.Equal(LogLevel.Debug, settings.Get<LoggingOptions>().Level);
        Assert.Equal(LogLevel.Trace, settings.Get<LoggingOptions>().Categories["P2P.Networking"]);
    }

    [Theory]
    [InlineData("--Api:Port=0", "Api:Port")]
    [InlineData("--Api:Port=abc", "Api:Port")]
    [InlineData("--Api:BindAddress=localhost", "Api:BindAddress")]
    [InlineData("--Api:Prot=1", "Api:Prot")]
    [InlineData("--Apis:Port=1", "Apis")]
    [InlineData("--Mining:Enabled=maybe", "Mining:Enabled")]
    [InlineData("--Logging:Level=Loud", "Logging:Level")]
    [InlineData("--Logging:Level=42", "Logging:Level")]
    [InlineData("--Network:ListenAddresses=/ip4/1.2.3.4/tcp/1", "Network:ListenAddresses")]
    [InlineData("--Network:ListenAddresses:0=tcp://1.2.3.4:1", "Network:ListenAddresses:0")]
    [InlineData("--Network:BootstrapPeers:0=/ip4/1.2.3.4/tcp/1", "Network:BootstrapPeers:0")]
    [InlineData("--Api:Port:Sub=1", "Api:Port:Sub")]
    [InlineData("--Host:ShutdownTimeoutSeconds=0", "Host:ShutdownTimeoutSeconds")]
    [InlineData("--Storage:BloomFilterBitsPerKey=-1", "Storage:BloomFilterBitsPerKey")]
    [InlineData("--Inference:Enabled=true", "Inference:Models")]
    [InlineData("--Inference:Models:0:Layers=[0,2)", "Inference:Models:0:Model")]
    [InlineData("--Inference:Models:0:Colour=red", "Inference:Models:0:Colour")]
    [InlineData("--Inference:KvCache=Float8", "Inference:KvCache")]
    [InlineData("--Inference:KvCache=7", "Inference:KvCache")] // a name, not an enum number
    [InlineData("--Inference:KvCache=Float16", "Inference:KvCache")] // the default mode is Deterministic
    public void InvalidSettings_NameTheKey(string argument, string key)
    {
        var error = LoadFails(commandLine: [argument]);
        Assert.Equal(key, error.Subject);
        Assert.StartsWith(key + ": ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("stray")]
    [InlineData("--verbose")]
    [InlineData("--Api:Port")]
    public void MalformedCommandLineSettings_AreRejected(string argument)
    {
        Assert.Contains(argument, LoadFails(commandLine: [argument]).Message);
    }

    [Fact]
    public void UnknownKeyInTheConfigFile_IsNamed()
    {
        WriteConfig("""{ "Storage": { "CacheSizeMB": 8, "Pth": "x" } }""");
        // Keys are case-insensitive like the rest of Microsoft.Extensions.Configuration; the misspelt one is reported.
        Assert.Equal("Storage:Pth", LoadFails().Subject);
    }

    [Fact]
    public void ExplicitConfigFile_MustExist_AndTheDefaultOneMayBeAbsent()
    {
        Load();
        var missing = Path.Combine(_temp.Path, "nope.json");
        Assert.Equal(missing, LoadFails(configFile: missing).Subject);
        Assert.Equal(_temp.Path, LoadFails(configFile: _temp.Path).Subject);
    }

    [Fact]
    public void DataDirectory_Resolution_FollowsTheDocumentedOrder()
    {
        var home = "/home/alice";
        Assert.Equal("/explicit", DataDirectory.Resolve("/explicit", new Dictionary<string, string> { ["P2PD_DATA_DIR"] = "/env" }, true, home).Path);
        Assert.Equal("/env", DataDirectory.Resolve(null, new Dictionary<string, string> { ["P2PD_DATA_DIR"] = "/env", ["INVOCATION_ID"] = "x" }, true, home).Path);
        Assert.Equal("/var/lib/p2pd", DataDirectory.Resolve(null, new Dictionary<string, string> { ["INVOCATION_ID"] = "x" }, true, home).Path);
        Assert.Equal("/var/lib/p2pd", DataDirectory.Resolve(null, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = "/run/systemd/notify" }, true, home).Path);
        Assert.Equal("/home/alice/.local/share/p2pd", DataDirectory.Resolve(null, new Dictionary<string, string> { ["INVOCATION_ID"] = "x" }, false, home).Path);
        Assert.Equal("/home/alice/.local/share/p2pd", DataDirectory.Resolve(null, new Dictionary<string, string>(), true, home).Path);
    }

    [Fact]
    public void LogFormat_Auto_PicksSystemdUnderJournald()
    {
        var options = new LoggingOptions();
        Assert.Equal(LogFormat.Systemd, options.EffectiveFormat(new Dictionary<string, string> { ["JOURNAL_STREAM"] = "8:1" }));
        Assert.Equal(LogFormat.Plain, options.EffectiveFormat(new Dictionary<string, string>()));
        Assert.Equal(LogFormat.Json, new LoggingOptions { Format = LogFormat.Json }.EffectiveFormat(new Dictionary<string, string> { ["JOURNAL_STREAM"] = "8:1" }));
    }

    public void Dispose() => _temp.Dispose();
}
