using System.Diagnostics;
using System.Text.RegularExpressions;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Packaging;

/// <summary>The systemd unit, installer and Dockerfile cannot run here (no systemd as PID 1, no Docker engine); these tests read them.</summary>
public sealed class PackagingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static Dictionary<string, List<string>> UnitDirectives()
    {
        var directives = new Dictionary<string, List<string>>();
        foreach (var line in RepositoryRoot.Read("scripts/p2pd.service").Split('\n').Select(l => l.Trim()))
        {
            if (line.Length == 0 || line[0] is '#' or '[') continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = line[..equals];
            if (!directives.TryGetValue(key, out var values)) directives[key] = values = [];
            values.Add(line[(equals + 1)..]);
        }
        return directives;
    }

    [Fact]
    public void SystemdUnit_HasTheRequiredDirectives()
    {
        var unit = UnitDirectives();
        Assert.Equal(["notify"], unit["Type"]);
        Assert.Equal(["/usr/local/bin/p2pd run"], unit["ExecStart"]);
        Assert.Equal(["p2pd"], unit["StateDirectory"]);
        Assert.Equal(["on-failure"], unit["Restart"]);
        Assert.Equal(["p2pd"], unit["User"]);
        Assert.Equal(["strict"], unit["ProtectSystem"]);
        foreach (var flag in new[] { "NoNewPrivileges", "ProtectHome", "PrivateTmp" }) Assert.Equal(["yes"], unit[flag]);
        Assert.True(int.Parse(unit["WatchdogSec"].Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("P2PD_DATA_DIR=/var/lib/p2pd", unit["Environment"]);
        // The JIT needs W+X memory; this hardening option would kill the daemon at start.
        Assert.False(unit.ContainsKey("MemoryDenyWriteExecute"));
    }

    [RequiresProgramFact("systemd-analyze")]
    public void SystemdUnit_PassesSystemdAnalyzeVerify()
    {
        var analyzer = RequiresProgramFactAttribute.Find("systemd-analyze")!;
        var copy = _temp.Sub("p2pd.service");
        File.WriteAllText(copy, RepositoryRoot.Read("scripts/p2pd.service").Replace("ExecStart=/usr/local/bin/p2pd run", "ExecStart=/bin/true", StringComparison.Ordinal));
        var info = new ProcessStartInfo(analyzer, ["verify", copy]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000));
        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain("Unknown", output);
        Assert.DoesNotContain("ignoring", output);
    }

    [Fact]
    public void Scripts_AreExecutableAndParseAsBash()
    {
        foreach (var script in new[] { "scripts/test.sh", "scripts/install-systemd.sh", ".ci/run" })
        {
            var path = Path.Combine(RepositoryRoot.Path, script);
            Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, $"{script} is not executable");
            var info = new ProcessStartInfo("bash", ["-n", path]) { RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(info)!;
            var error = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(30_000));
            Assert.True(process.ExitCode == 0, $"{script}: {error}");
        }
        var testScript = RepositoryRoot.Read("scripts/test.sh");
        Assert.Contains("tests/Interop/js/setup.sh", testScript);
        Assert.Contains("tests: %d passed, %d failed, %d skipped", testScript);
    }

    [Fact]
    public void Dockerfile_BuildsWithTheSdk_RunsOnTheRuntimeImageAsANonRootUser()
    {
        var lines = RepositoryRoot.Read("Dockerfile").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", stages[0]);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", stages[1]);
        var runtime = string.Join('\n', lines.SkipWhile(l => l != stages[1]));
        Assert.Contains("libleveldb1d", runtime);
        Assert.Contains("libopenblas0-pthread", runtime);
        Assert.Contains("COPY --from=build", runtime);
        Assert.Contains("USER p2pd", runtime);
        Assert.Contains("VOLUME [\"/var/lib/p2pd\"]", runtime);
        Assert.Contains("ENTRYPOINT [\"p2pd\"]", runtime);
        Assert.Contains("CMD [\"run\", \"--init\"]", runtime);
        // Every path the build stage copies exists in the repository.
        foreach (var copy in lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal)))
        {
            foreach (var source in copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
                Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, source)) || Directory.Exists(Path.Combine(RepositoryRoot.Path, source)), source);
        }
    }

    [Fact]
    public void Dockerfile_PublishesWithTheInstallersCommand()
    {
        static string Publish(string text) =>
            Regex.Match(text, @"dotnet publish src/Daemon/P2P\.Daemon\.csproj -c Release -o \S+").Value;
        var docker = Publish(RepositoryRoot.Read("Dockerfile"));
        var installer = Publish(RepositoryRoot.Read("scripts/install-systemd.sh"));
        Assert.NotEqual("", docker);
        Assert.NotEqual("", installer);
        // The same project and configuration; only the output directory differs.
        Assert.Equal(installer[..installer.LastIndexOf(' ')], docker[..docker.LastIndexOf(' ')]);
    }

    [Fact]
    public void Compose_RunsThreeNodesOfOneDevnet_EachApiOnLoopback_OneServingTheModel()
    {
        var compose = RepositoryRoot.Read("docker-compose.yml");
        var servicesBlock = compose[compose.IndexOf("\nservices:", StringComparison.Ordinal)..compose.IndexOf("\nvolumes:", StringComparison.Ordinal)];
        var services = Regex.Matches(servicesBlock, @"(?m)^  (\w+):$").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["init", "node1", "node2", "node3"], services);
        var ports = Regex.Matches(compose, @"(?m)^\s+- ""([^""]+:9480)""$").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["127.0.0.1:9481:9480", "127.0.0.1:9482:9480", "127.0.0.1:9483:9480"], ports);
        Assert.Equal(3, Regex.Matches(compose, "--Chain:Genesis=/var/lib/p2pd/genesis.json").Count);
        Assert.Equal(2, Regex.Matches(compose, "--Network:BootstrapPeers:0=").Count);
        Assert.Single(Regex.Matches(compose, "P2PD__Inference__Models__0__Model"));
        Assert.Contains("condition: service_completed_successfully", compose);
        // The bootstrap address the init service writes names node1's fixed address.
        Assert.Contains("/ip4/172.28.0.11/tcp/4001/p2p/", compose);
        Assert.Contains("ipv4_address: 172.28.0.11", compose);
    }

    [Fact]
    public void ComposeAndDockerfile_SetOnlyConfigurationKeysTheDaemonAccepts()
    {
        var sections = P2P.Daemon.Hosting.ConfigSections.All.ToDictionary(s => s.Name, s => s.OptionsType, StringComparer.OrdinalIgnoreCase);
        foreach (var file in new[] { "docker-compose.yml", "Dockerfile" })
        {
            var text = RepositoryRoot.Read(file);
            var keys = Regex.Matches(text, @"--([A-Z][A-Za-z]+):([A-Za-z]+)").Select(m => (m.Groups[1].Value, m.Groups[2].Value))
                .Concat(Regex.Matches(text, @"P2PD__([A-Za-z]+)__([A-Za-z]+)").Select(m => (m.Groups[1].Value, m.Groups[2].Value)))
                .ToList();
            Assert.NotEmpty(keys);
            foreach (var (section, key) in keys)
            {
                Assert.True(sections.TryGetValue(section, out var options), $"{file}: unknown section {section}");
                Assert.True(options.GetProperty(key, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase) is not null,
                    $"{file}: unknown key {section}:{key}");
            }
        }
    }

    [Fact]
    public void Installer_HasAnUninstallMode_AndRefusesUnknownArguments()
    {
        var installer = RepositoryRoot.Read("scripts/install-systemd.sh");
        Assert.Contains("--uninstall) mode=uninstall", installer);
        var info = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "scripts/install-systemd.sh"), "--no-such-flag"]) { RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("unknown argument", error);
    }

    public void Dispose() => _temp.Dispose();
}
