using System.Diagnostics;
using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Inference;

/// <summary>
/// Acceptance 1, second half: the official <c>openai</c> npm client works against the gateway unchanged, here with
/// <c>Gateway:ApiKeysFile</c> set (the client sends its <c>apiKey</c> as the bearer key); one with a wrong key gets 401.
/// </summary>
public sealed class GatewayOpenAiClientTests
{
    [OpenAiClientFact]
    public async Task OfficialOpenAiClient_ChatStreamingChatAndCompletions_WorkThroughAGatewayServingNothing_WithABearerKey()
    {
        const string key = "sk-p2pd-openai-client-test-key-0001";
        await using var nodes = new InferenceNodes();
        using var keys = new TempDirectory();
        var keysFile = Path.Combine(keys.Path, "gateway.keys");
        File.WriteAllText(keysFile, key + "\n");
        File.SetUnixFileMode(keysFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var a = await nodes.StartAsync("a", $"--Gateway:ApiKeysFile={keysFile}");
        await nodes.StartAsync("b", InferenceNodes.Serving());
        await InferenceNodes.WaitForAdvertsAsync(a, 1);

        var info = new ProcessStartInfo(OpenAiClientFactAttribute.Node) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = OpenAiClientFactAttribute.JsDirectory };
        foreach (var argument in new[] { "client.mjs", $"http://localhost:{a.Port}/v1", "stories260k", key }) info.ArgumentList.Add(argument);
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, await stderr);
        var result = JsonDocument.Parse((await stdout).Trim()).RootElement;

        var chat = result.GetProperty("chat");
        Assert.Equal("length", chat.GetProperty("finish").GetString());
        Assert.Equal(10, chat.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(10, chat.GetProperty("logprobs").GetInt32());
        var stream = result.GetProperty("stream");
        Assert.Equal("length", stream.GetProperty("finish").GetString());
        Assert.Equal(10, stream.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(stream.GetProperty("chunks").GetInt32() >= 11);
        Assert.Equal(chat.GetProperty("content").GetString(), stream.GetProperty("content").GetString());
        var completion = result.GetProperty("completion");
        Assert.Equal(6, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(6, completion.GetProperty("tokens").GetInt32());
        var error = result.GetProperty("error");
        Assert.Equal(404, error.GetProperty("status").GetInt32());
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        var unauthorized = result.GetProperty("unauthorized");
        Assert.Equal(401, unauthorized.GetProperty("status").GetInt32());
        Assert.Equal("invalid_api_key", unauthorized.GetProperty("code").GetString());
    }
}
