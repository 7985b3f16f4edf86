using System.Text.Json;
using P2P.Accountability.Child;
using P2P.Accountability.Validation;
using P2P.Consensus.Blocks;
using P2P.Inference.Kernels;
using P2P.InferenceNetwork.Serving;
using P2P.Testing;
using Xunit.Abstractions;

namespace P2P.Accountability.Tests;

/// <summary>
/// Acceptance 4: many honest sessions (<see cref="HonestWorkload"/>: mixed prompts, seeds, temperatures, top-k/top-p,
/// lengths, whole-model generations and span sessions, concurrent sessions), executors on 1 and 2 threads, are all
/// judged "reproduced" by a validator on the other thread count — with the executors in this process or each in its own
/// child process — and a validator in a child process with <c>DOTNET_EnableHWIntrinsic=0</c> gives the same verdicts
/// and output hashes. CI-sized runs always; 1000 receipts with <c>P2P_SLOW_TESTS=1</c>.
/// </summary>
public sealed class NoFalseRejectionTests(ITestOutputHelper log)
{
    private const string Tiny = "seed:preset=tiny,seed=3";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static bool Slow => Environment.GetEnvironmentVariable("P2P_SLOW_TESTS") == "1";

    private static string Child => Path.Combine(AppContext.BaseDirectory, "P2P.Accountability.Child.dll");

    [Fact]
    public async Task HonestRun_CiSized_HasNoInvalidVerdict_InProcessOrWithoutHardwareIntrinsics()
    {
        var random = new Random(11);
        int receipts = Slow ? 1000 : 60;
        var byThreads = new Dictionary<int, List<VerificationCase>>();
        foreach (int threads in new[] { 1, 2 }) byThreads[threads] = await HonestWorkload.RunAsync(Tiny, threads, receipts / 2, random);
        var outcomes = VerifyOnTheOtherThreadCount(byThreads);
        Assert.True(outcomes.Count >= receipts, $"{outcomes.Count} receipts");

        using var temp = new TempDirectory();
        var file = temp.Sub("batch.json");
        var cases = byThreads[1].Concat(byThreads[2]).ToList();
        await File.WriteAllBytesAsync(file, JsonSerializer.SerializeToUtf8Bytes(new VerificationBatch(Tiny, 1, cases), Json));
        var (exitCode, output, error) = ChildProcess.Run("dotnet", [Child, "validate", file], new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" }, timeoutSeconds: 600);
        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(outcomes.Select(o => $"{(int)o.Reason} {Convert.ToHexStringLower(o.OutputHash)}"), lines);
    }

    /// <summary>Executors on 1 and 2 threads, each in its own process at the same time; this process validates their receipts.</summary>
    [Fact]
    public async Task HonestRun_WithExecutorsInChildProcesses_HasNoInvalidVerdict()
    {
        int receipts = Slow ? 1000 : 40;
        using var temp = new TempDirectory();
        var started = DateTime.UtcNow;
        var executors = new[] { 1, 2 }.Select(threads => Task.Run(() =>
        {
            var file = temp.Sub($"executor-{threads}.json");
            var (exitCode, _, error) = ChildProcess.Run("dotnet", [Child, "execute", Tiny, $"{threads}", $"{receipts / 2}", $"{20 + threads}", file], timeoutSeconds: 600);
            Assert.True(exitCode == 0, error);
            return (threads, JsonSerializer.Deserialize<VerificationBatch>(File.ReadAllBytes(file), Json)!);
        })).ToList();
        var byThreads = (await Task.WhenAll(executors)).ToDictionary(e => e.threads, e => e.Item2.Cases.ToList());
        var executed = DateTime.UtcNow;
        Assert.All(byThreads, e => Assert.True(e.Value.Count >= receipts / 2, $"{e.Value.Count} receipts from the {e.Key}-thread executor"));

        var outcomes = VerifyOnTheOtherThreadCount(byThreads);
        log.WriteLine($"{outcomes.Count} receipts from 2 executor processes ({byThreads[1].Count} on 1 thread, {byThreads[2].Count} on 2): " +
            $"{outcomes.Count(o => o.Reason == VerdictReason.Reproduced)} reproduced, {outcomes.Count(o => o.Reason != VerdictReason.Reproduced)} invalid; " +
            $"executing {(executed - started).TotalSeconds:F1} s, validating {(DateTime.UtcNow - executed).TotalSeconds:F1} s");
        Assert.True(outcomes.Count >= receipts, $"{outcomes.Count} receipts");
    }

    /// <summary>Re-runs each executor's receipts on a validator with the other thread count (2 judges 1's, 1 judges 2's); every verdict must be "reproduced".</summary>
    private static List<VerificationOutcome> VerifyOnTheOtherThreadCount(Dictionary<int, List<VerificationCase>> byExecutorThreads)
    {
        var outcomes = new List<VerificationOutcome>();
        foreach (var (executorThreads, cases) in byExecutorThreads.OrderBy(e => e.Key))
        {
            int threads = executorThreads == 1 ? 2 : 1;
            using var validatorModels = ModelCatalog.Load(new ServingOptions { Models = [new ServedModelSpec(Tiny, null)], Mode = ComputeMode.Deterministic, Threads = threads, ProbeTokens = 1 });
            using var shards = new ReexecutionShards(validatorModels, threads);
            var verifier = new SpanVerifier(shards);
            outcomes.AddRange(cases.Select(c => verifier.Verify(c.Record, c.Claim)));
        }
        Assert.All(outcomes, o => Assert.Equal(VerdictReason.Reproduced, o.Reason));
        return outcomes;
    }
}
