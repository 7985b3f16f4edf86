using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Cli;

/// <summary>`p2pd infer` run as a user would, in a child process.</summary>
public class InferCommandTests
{
    [Stories260kFact]
    public async Task GreedyJsonOutput_OnStories260k_MatchesTheReferenceContinuation()
    {
        var modelDirectory = Stories260kFactAttribute.ModelDirectory!;
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDirectory, "expected.json")))
            .RootElement.GetProperty("greedy_ids").EnumerateArray().Take(16).Select(e => e.GetInt32()).ToArray();

        // Fast mode's default binary16 cache is on the reference to half precision only (it leaves the greedy
        // continuation at a near tie, token 37); its first 16 tokens are the reference's.
        foreach (var (flags, cache) in new[] { (new[] { "--deterministic" }, "float32"), ([], "float16"), (["--kv-cache", "float32"], "float32") })
        {
            List<string> arguments = ["infer", "--model", modelDirectory, "--prompt-ids", "1", "--max-tokens", "16", "--json", .. flags];
            await using var run = await DaemonProcess.RunToExitAsync(arguments);

            Assert.True(run.ExitCode == 0, run.StandardError);
            var output = JsonDocument.Parse(run.StandardOutput).RootElement;
            Assert.Equal(cache, output.GetProperty("kv_cache").GetString());
            Assert.Equal(expected, output.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray());
            Assert.Equal(16, output.GetProperty("logprobs").GetArrayLength());
            Assert.All(output.GetProperty("logprobs").EnumerateArray(), l => Assert.True(l.GetProperty("logprob").GetDouble() <= 0));
            // From process start to the first token: it includes the load and the prefill, so it is at least the load.
            Assert.True(output.GetProperty("first_token_seconds").GetDouble() >= output.GetProperty("load_seconds").GetDouble());
        }
    }

    [Fact]
    public async Task SeededModel_WithTextPrompt_PrintsACompletionAndTheRate()
    {
        await using var run = await DaemonProcess.RunToExitAsync(
            ["infer", "--model", "seed:preset=tiny,seed=7", "--prompt", "hello", "--max-tokens", "4", "--deterministic"]);

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Matches(@"decode [\d.]+ tokens/s, deterministic mode, float32 KV cache; first token [\d.]+ s after start", run.StandardOutput);
    }

    [Fact]
    public async Task JsonOutput_WithLogprobsZero_HasNoLogProbs_AndTheDefaultHasFivePerToken()
    {
        foreach (var (flags, perToken) in new[] { (new[] { "--logprobs", "0" }, -1), ([], 5) })
        {
            await using var run = await DaemonProcess.RunToExitAsync(
                ["infer", "--model", "seed:preset=tiny,seed=7", "--prompt-ids", "1", "--max-tokens", "4", "--json", .. flags]);

            Assert.True(run.ExitCode == 0, run.StandardError);
            var output = JsonDocument.Parse(run.StandardOutput).RootElement;
            Assert.Equal(4, output.GetProperty("ids").GetArrayLength());
            var logprobs = output.GetProperty("logprobs");
            if (perToken < 0)
            {
                Assert.Equal(0, logprobs.GetArrayLength());
                continue;
            }
            Assert.Equal(4, logprobs.GetArrayLength());
            Assert.All(logprobs.EnumerateArray(), l => Assert.Equal(perToken, l.GetProperty("top").GetArrayLength()));
        }
    }

    [Fact]
    public async Task DeterministicMode_WithAFloat16Cache_IsRefusedNamingTheOption()
    {
        await using var run = await DaemonProcess.RunToExitAsync(
            ["infer", "--model", "seed:preset=tiny,seed=7", "--prompt-ids", "1", "--deterministic", "--kv-cache", "float16"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.StartsWith("infer: --kv-cache float16: deterministic mode", run.StandardError);
    }

    [Theory]
    [InlineData("--prompt-ids", "1,x")]
    [InlineData("--prompt-ids", "")]
    public async Task BadPrompt_ExitsNonZeroWithAMessage(string option, string value)
    {
        await using var run = await DaemonProcess.RunToExitAsync(["infer", "--model", "seed:preset=tiny,seed=7", option, value]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.StartsWith("infer: ", run.StandardError);
    }

    [Fact]
    public async Task MissingModelDirectory_ExitsNonZeroNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "p2pd-no-such-model-" + Guid.NewGuid().ToString("N"));
        await using var run = await DaemonProcess.RunToExitAsync(["infer", "--model", missing, "--prompt-ids", "1"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(missing, run.StandardError);
    }
}
