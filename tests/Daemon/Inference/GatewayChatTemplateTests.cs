using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using P2P.Daemon.Tests.Support;

namespace P2P.Daemon.Tests.Inference;

/// <summary>The gateway renders chat with the model folder's <c>tokenizer_config.json</c> template when it has one.</summary>
public sealed class GatewayChatTemplateTests
{
    private const string ChatMl = "{% if messages[0]['role'] == 'system' %}{{ raise_exception('this model takes no system prompt') }}{% endif %}"
        + "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    [Stories260kFact]
    public async Task ChatCompletion_UsesTheFoldersTemplate_AndItsRefusalIsA400()
    {
        using var temp = new TempDirectory();
        var folder = temp.Sub("chatml-260k");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(InferenceNodes.Model)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), JsonSerializer.Serialize(new { chat_template = ChatMl, eos_token = "</s>" }));
        await using var nodes = new InferenceNodes();
        var node = await nodes.StartAsync("a", InferenceNodes.Serving(model: folder));
        await InferenceNodes.WaitForAdvertsAsync(node, 1);

        using var chat = await node.Http.PostAsJsonAsync("v1/chat/completions", new { model = "chatml-260k", messages = new[] { new { role = "user", content = "Hi" } }, max_tokens = 1, temperature = 0 });
        var chatJson = await chat.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(chat.IsSuccessStatusCode, chatJson.ToString());
        // The same text sent as a completion prompt: the same prompt tokens iff the template rendered it.
        using var completion = await node.Http.PostAsJsonAsync("v1/completions", new { model = "chatml-260k", prompt = "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", max_tokens = 1, temperature = 0 });
        var completionJson = await completion.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(completion.IsSuccessStatusCode, completionJson.ToString());
        int PromptTokens(JsonElement json) => json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        Assert.Equal(PromptTokens(completionJson), PromptTokens(chatJson));
        Assert.True(PromptTokens(chatJson) > "user: Hi\nassistant:".Length + 1, "the default template's prompt would be shorter");

        using var refused = await node.Http.PostAsJsonAsync("v1/chat/completions", new { model = "chatml-260k", messages = new[] { new { role = "system", content = "Be brief" } }, max_tokens = 1 });
        var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("chat_template_error", error.GetProperty("code").GetString());
        Assert.Contains("this model takes no system prompt", error.GetProperty("message").GetString());
    }
}
