using P2P.Testing;
using P2P.Work.Tests.Support;

namespace P2P.Work.Tests;

/// <summary>
/// docs/work-function.md §5–§6: `p2pd work verify` prints the golden work hash through every path (scalar reference,
/// single-nonce fast path, inside a batch) in a child process with DOTNET_EnableHWIntrinsic=0, i.e. with no SIMD at
/// all, and with the defaults. The large profile runs only under P2P_SLOW_TESTS=1 (minutes without SIMD).
/// </summary>
public class ChildProcessGoldenVectorTests
{
    private static readonly Dictionary<string, string> NoIntrinsics = new() { ["DOTNET_EnableHWIntrinsic"] = "0" };

    [DaemonBuildFact]
    public void Section6_EveryPathWithoutHardwareIntrinsicsPrintsTheGoldenWorkHash()
    {
        bool slow = Environment.GetEnvironmentVariable("P2P_SLOW_TESTS") == "1";
        foreach (var v in GoldenVector.All.Where(v => slow || v.Profile != "large"))
            foreach (var path in new[] { "reference", "fast", "batched" })
                Assert.Equal(v.WorkHashHex, Verify(v, path, NoIntrinsics));
    }

    [DaemonBuildFact]
    public void Section6_DefaultRuntimePrintsTheGoldenWorkHash()
    {
        foreach (var v in GoldenVector.All.Where(v => v.Profile != "large"))
            Assert.Equal(v.WorkHashHex, Verify(v, "fast", null));
    }

    /// <summary>
    /// With AVX-512 switched off (.NET 10 reads DOTNET_EnableAVX512; DOTNET_EnableAVX512F alone no longer disables it) the
    /// miner falls back to the next kernel and still prints the golden hash.
    /// </summary>
    [DaemonBuildFact]
    public void Section6_WithoutAvx512TheFallbackKernelPrintsTheGoldenWorkHash()
    {
        var noAvx512 = new Dictionary<string, string> { ["DOTNET_EnableAVX512"] = "0", ["DOTNET_EnableAVX512F"] = "0" };
        foreach (var v in GoldenVector.All.Where(v => v.Profile != "large"))
            foreach (var path in new[] { "fast", "batched" })
                Assert.Equal(v.WorkHashHex, Verify(v, path, noAvx512));
        var (code, output, error) = ChildProcess.Run("dotnet", [RepositoryPaths.DaemonDll!, "work", "bench", "--profile", "devnet", "--threads", "1", "--seconds", "0.1"], noAvx512);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("avx512", output);
        Assert.Contains($"{Kernels.Int8GemmKernel.Supported.Last(k => k.Name != "avx512-vnni").Name} kernel", output);
    }

    [DaemonBuildFact]
    public void Section1_MalformedInputsAreRejectedWithExitCode2()
    {
        var v = GoldenVector.All[0];
        var (code, _, error) = ChildProcess.Run("dotnet", [RepositoryPaths.DaemonDll!, "work", "verify", "--profile", "devnet",
            "--seed", "abc", "--challenge", v.ChallengeHex, "--nonce", "1"]);
        Assert.Equal(2, code);
        Assert.Contains("--seed must be 64 hex digits", error);
        (code, _, error) = ChildProcess.Run("dotnet", [RepositoryPaths.DaemonDll!, "work", "verify", "--profile", "devnet",
            "--seed", v.SeedHex, "--challenge", v.ChallengeHex, "--nonce", "-5"]);
        Assert.NotEqual(0, code);
    }

    [DaemonBuildFact]
    public void Section8_BenchCommandReportsNoncesPerSecondAgainstTheScalarBaselineAndThePeakLoop()
    {
        var (code, output, error) = ChildProcess.Run("dotnet", [RepositoryPaths.DaemonDll!, "work", "bench", "--profile", "devnet", "--threads", "2", "--seconds", "0.2"]);
        Assert.True(code == 0, error);
        Assert.Contains("profile devnet", output);
        Assert.Contains("(baseline)", output);
        Assert.Matches(@"\(\d+(\.\d+)?x baseline\)", output);
        Assert.Contains("best: ", output);
        // One row per thread count (1 and --threads), each with its ratio to the best peak loop per thread.
        Assert.Contains($"{Kernels.Int8GemmKernel.Best.Name} kernel, 1 thread(s)", output);
        Assert.Contains($"{Kernels.Int8GemmKernel.Best.Name} kernel, 2 thread(s)", output);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(output, @"per thread \d+(\.\d+)? G MAC/s = \d+ ?% of the best peak loop").Count);
    }

    private static string Verify(GoldenVector v, string path, IDictionary<string, string>? environment)
    {
        var (code, output, error) = ChildProcess.Run("dotnet", [RepositoryPaths.DaemonDll!, "work", "verify", "--profile", v.Profile,
            "--seed", v.SeedHex, "--challenge", v.ChallengeHex, "--nonce", $"0x{v.Nonce:x}", "--path", path], environment);
        Assert.True(code == 0, $"p2pd work verify --path {path} exited {code}: {error}");
        return output.Trim();
    }
}
