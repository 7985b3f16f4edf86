using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;
using P2P.Storage;

namespace P2P.Daemon.Tests.Hardening;

/// <summary>
/// Issue 11, items 2, 5, 6 and 8: a refused start exits with the documented code and one line that names the key
/// or path, and leaves the data directory exactly as it was.
/// </summary>
public sealed class RefusalTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _temp = new();
    private readonly string _dataDirectory;

    public RefusalTests()
    {
        _dataDirectory = _temp.Sub("data");
        Assert.Equal(0, InitCommand.Run(_dataDirectory, force: false, new StringWriter(), new StringWriter()));
    }

    private string NodeKey => Path.Combine(_dataDirectory, "node.key");
    private string ApiToken => Path.Combine(_dataDirectory, "api.token");
    private string ConfigFile => Path.Combine(_dataDirectory, "p2pd.json");

    private async Task<(int Exit, string Line)> RunInProcess(params string[] extra)
    {
        var error = new StringWriter();
        var exit = await CliRoot.RunAsync(["run", "--data-dir", _dataDirectory, .. extra], new StringWriter(), error);
        return (exit, Assert.Single(error.ToString().Trim().Split('\n')));
    }

    /// <summary>Runs <paramref name="refused"/> and checks the data directory before and after.</summary>
    private async Task<T> Unchanged<T>(Func<Task<T>> refused, Func<string, bool>? ignore = null)
    {
        var before = DirectorySnapshot.Take(_dataDirectory, ignore);
        var result = await refused();
        Assert.Equal(before, DirectorySnapshot.Take(_dataDirectory, ignore));
        return result;
    }

    [Fact]
    public async Task SameKeyTwiceOnTheCommandLine_Exits2NamingTheKey()
    {
        var (exit, line) = await Unchanged(() => RunInProcess("--Api:Port=1", "--Api:Port=2"));
        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Equal("p2pd: Api:Port: given twice on the command line; give each setting once", line);
    }

    [Fact]
    public async Task SameKeyTwiceInAnotherCase_Exits2NamingBothSpellings()
    {
        var (exit, line) = await Unchanged(() => RunInProcess("--Api:Port=1", "--api:port=1"));
        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Equal("p2pd: api:port: given twice on the command line (as --Api:Port and --api:port; keys are case-insensitive); give each setting once", line);
    }

    [Fact]
    public async Task SameKeyTwiceInTheEnvironment_Exits2NamingTheKey()
    {
        var daemon = await Unchanged(() => DaemonProcess.RunToExitAsync(["run", "--data-dir", _dataDirectory],
            new Dictionary<string, string> { ["P2PD__Api__Port"] = "9000", ["P2PD__api__port"] = "9000" }));
        await using var _ = daemon;
        Assert.Equal(ExitCodes.Configuration, daemon.ExitCode);
        var line = Assert.Single(daemon.StandardError.Trim().Split('\n'));
        Assert.Matches(@"^p2pd: (Api:Port|api:port): given twice in the environment \(as P2PD__(Api__Port|api__port) and P2PD__(Api__Port|api__port); keys are case-insensitive\); give each setting once$", line);
    }

    [Fact]
    public async Task SameKeyTwiceInTheConfigFile_Exits2NamingTheKey()
    {
        File.WriteAllText(ConfigFile, "{ \"Api\": { \"Port\": 9000, \"port\": 9001 } }");
        var (exit, line) = await Unchanged(() => RunInProcess());
        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.StartsWith($"p2pd: {ConfigFile}: config file sets a key twice:", line);
        Assert.Contains("Api:port", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task InvalidJson_Exits2WithLineAndColumn()
    {
        File.WriteAllText(ConfigFile, "{\n  \"Api\": {\n    \"Port\": 9000,,\n  }\n}\n");
        var (exit, line) = await Unchanged(() => RunInProcess());
        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.StartsWith($"p2pd: {ConfigFile}: config file is not valid JSON at line 3, column 18: ", line);
        Assert.DoesNotContain("LineNumber", line);
    }

    [Theory]
    [InlineData("node.key", "node key", UnixFileMode.OtherRead)]
    [InlineData("api.token", "API token", UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite)]
    public async Task SecretFileReadableByOthers_Exits2WithTheChmodToRun(string file, string what, UnixFileMode extra)
    {
        var path = Path.Combine(_dataDirectory, file);
        File.SetUnixFileMode(path, OwnerOnly | extra);
        var (exit, line) = await Unchanged(() => RunInProcess());
        Assert.Equal(ExitCodes.Configuration, exit);
        var mode = Convert.ToString((int)(OwnerOnly | extra), 8);
        Assert.Equal($"p2pd: {path}: {what} is accessible by group or others (mode 0{mode}); run 'chmod 600 {path}' (and check who may have read it)", line);
        Assert.Equal(OwnerOnly | extra, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task ShortApiToken_Exits2()
    {
        File.WriteAllText(ApiToken, "x\n");
        File.SetUnixFileMode(ApiToken, OwnerOnly);
        var (exit, line) = await Unchanged(() => RunInProcess());
        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Equal($"p2pd: {ApiToken}: API token is not usable: the token is 1 characters, at least 32 are required; delete the file and run 'p2pd init' to write a new one", line);
    }

    [Fact]
    public async Task SecondDaemonOnTheSameDataDirectory_Exits3WhateverStoragePathSays()
    {
        var port = FreePort.Next();
        await using var first = DaemonProcess.Start(["run", "--data-dir", _dataDirectory, $"--Api:Port={port}"]);
        await first.WaitUntilHealthyAsync(port);
        // The running daemon writes to its database meanwhile; everything else must stay as it is.
        static bool FirstDaemonsDatabase(string relative) => relative == "db" || relative.StartsWith("db/", StringComparison.Ordinal);

        var second = await Unchanged(() => DaemonProcess.RunToExitAsync(["run", "--data-dir", _dataDirectory, $"--Api:Port={FreePort.Next()}", "--Storage:Path=db2"]), FirstDaemonsDatabase);
        await using var _ = second;
        Assert.Equal(ExitCodes.DataDirectoryInUse, second.ExitCode);
        Assert.Equal($"p2pd: data directory {_dataDirectory} is in use by another p2pd process", second.StandardError.Trim());
        Assert.False(Directory.Exists(Path.Combine(_dataDirectory, "db2")));

        var init = new StringWriter();
        Assert.Equal(ExitCodes.DataDirectoryInUse, await Unchanged(() => Task.FromResult(InitCommand.Run(_dataDirectory, force: true, new StringWriter(), init)), FirstDaemonsDatabase));
        Assert.Contains("is in use by another p2pd process; stop it before running init", init.ToString());
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task CorruptDatabase_Exits1NamingTheDatabasePath()
    {
        var database = Path.Combine(_dataDirectory, "db");
        LevelDatabase.Open(database).Dispose();
        File.WriteAllText(Path.Combine(database, "CURRENT"), "MANIFEST-999999");
        // LevelDB rewrites its info log (LOG, LOG.old) on every open attempt; the data files must stay as they are.
        static bool InfoLog(string relative) => relative.StartsWith("db/LOG", StringComparison.Ordinal);

        var error = new StringWriter();
        var exit = await Unchanged(() => CliRoot.RunAsync(["run", "--data-dir", _dataDirectory], new StringWriter(), error), InfoLog);
        Assert.Equal(ExitCodes.Failure, exit);
        var line = Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.StartsWith($"p2pd: database {database}: ", line);
    }

    public void Dispose() => _temp.Dispose();
}
