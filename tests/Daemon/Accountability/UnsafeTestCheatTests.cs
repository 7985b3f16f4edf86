using P2P.Consensus.Genesis;
using P2P.Daemon.Cli;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Accountability;

/// <summary><c>--unsafe-test-cheat</c> is refused with exit code 2 off a devnet-profile genesis, without a chain, and for an unknown name.</summary>
public sealed class UnsafeTestCheatTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Cheat_IsRefusedWithExit2_OffTheDevnetProfile_WithoutAChain_AndWhenUnknown()
    {
        var data = _temp.Sub("node");
        Assert.Equal(0, InitCommand.Run(data, force: false, new StringWriter(), new StringWriter()));
        var standard = _temp.Sub("standard.json");
        File.WriteAllText(standard, GenesisConfig.ForProfile(P2P.Work.WorkProfile.Standard.Name, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "real").ToJson());
        string port = $"--Api:Port={FreePort.Next()}";

        await using (var refused = await DaemonProcess.RunToExitAsync(["run", "--data-dir", data, port, $"--Chain:Genesis={standard}", "--unsafe-test-cheat", "perturb-logits"]))
        {
            Assert.Equal(ExitCodes.Configuration, refused.ExitCode);
            Assert.Contains("only a devnet genesis", refused.StandardError, StringComparison.Ordinal);
        }
        await using (var noChain = await DaemonProcess.RunToExitAsync(["run", "--data-dir", data, port, "--unsafe-test-cheat", "skip-layers"]))
            Assert.Equal(ExitCodes.Configuration, noChain.ExitCode);
        await using var unknown = await DaemonProcess.RunToExitAsync(["run", "--data-dir", data, port, "--unsafe-test-cheat", "steal-coins"]);
        Assert.Equal(ExitCodes.Configuration, unknown.ExitCode);
        Assert.Contains("unknown test cheat", unknown.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
