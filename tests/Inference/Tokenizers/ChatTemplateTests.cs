using P2P.Inference.Tests.Support;
using P2P.Inference.Tokenizers;
using P2P.Inference.Tokenizers.Templates;

namespace P2P.Inference.Tests.Tokenizers;

/// <summary>Real chat templates (as published in their models' tokenizer_config.json) rendered by the Jinja subset; expected texts derived by hand.</summary>
public sealed class ChatTemplateTests
{
    // meta-llama/Llama-2-7b-chat-hf
    private const string Llama2 = """{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\n' + system_message + '\n<</SYS>>\n\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}""";

    // ChatML (OpenHermes, Qwen-style)
    private const string ChatMl = """{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}""";

    // HuggingFaceH4/zephyr-7b-beta: one tag per line, relying on trim_blocks.
    private const string Zephyr = "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'system' %}\n{{ '<|system|>\\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\\n'  + message['content'] + eos_token }}\n{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";

    // Llama-3 style: indented, with {%- -%} / {{- whitespace control, message.content and a filter.
    private const string Llama3 = "{{- bos_token }}\n{%- for message in messages %}\n    {{- '<|start_header_id|>' + message.role + '<|end_header_id|>\\n\\n' + message.content | trim + '<|eot_id|>' }}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}\n{%- endif %}\n";

    [Fact]
    public void Llama2_SystemPromptFoldsIntoTheFirstTurn_AndTurnsAlternate()
    {
        var template = ChatTemplate.FromSource(Llama2, "<s>", "</s>");
        var text = template.Render([("system", "You are kind."), ("user", "Hi"), ("assistant", " Hello! "), ("user", "Tell me a story")]);

        Assert.Equal("<s>[INST] <<SYS>>\nYou are kind.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] Tell me a story [/INST]", text);
        Assert.Equal("<s>[INST] Hi [/INST]", template.Render([("user", "Hi")]));
        var refused = Assert.Throws<TemplateException>(() => template.Render([("user", "a"), ("user", "b")]));
        Assert.Contains("Conversation roles must alternate", refused.Message);
    }

    [Fact]
    public void ChatMl_EndsWithTheAssistantsTurn_OnlyWhenAGenerationPromptIsAsked()
    {
        var template = ChatTemplate.FromSource(ChatMl, null, null);

        Assert.Equal("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n", template.Render([("system", "S"), ("user", "U")]));
        Assert.Equal("<|im_start|>user\nU<|im_end|>\n", template.Render([("user", "U")], addGenerationPrompt: false));
    }

    [Fact]
    public void Zephyr_TrimBlocksDropsTheNewlineAfterEachTag_ButNotAfterOutput()
    {
        var template = ChatTemplate.FromSource(Zephyr, "<s>", "</s>");

        Assert.Equal("<|system|>\nS</s>\n<|user|>\nU</s>\n<|assistant|>\n", template.Render([("system", "S"), ("user", "U")]));
    }

    [Fact]
    public void Llama3_WhitespaceControlAndFilters()
    {
        var template = ChatTemplate.FromSource(Llama3, "<|begin_of_text|>", "<|eot_id|>");

        Assert.Equal("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", template.Render([("user", "  U \n")]));
    }

    [Theory]
    [InlineData("{{ 'a' ~ 1 }}{{ 7 // 2 }}{{ -3 % 2 }}{{ [1, 2, 3][-1] }}{{ 'abc'[1:] }}", "a1313bc")]
    [InlineData("{% for m in messages %}{{ loop.index }}/{{ loop.length }}{% if not loop.last %},{% endif %}{% endfor %}", "1/2,2/2")]
    [InlineData("{% if x is defined %}x{% elif messages | length > 1 %}many{% else %}one{% endif %}", "many")]
    [InlineData("{{ 'yes' if 'user' in messages | map_absent_ok else 'no' }}", null)]
    [InlineData("{% set n = 1 %}{% for m in messages %}{% set n = 5 %}{% endfor %}{{ n }}", "1")]
    [InlineData("{{ messages[0].role.upper() }}{{ messages[5] is defined }}{{ none }}{{ true }}", "SYSTEMFalseNoneTrue")]
    public void Expressions_FollowJinja(string source, string? expected)
    {
        var template = ChatTemplate.FromSource(source, null, null);
        if (expected is null)
        {
            Assert.Throws<TemplateException>(() => template.Render([("system", "s"), ("user", "u")]));
            return;
        }
        Assert.Equal(expected, template.Render([("system", "s"), ("user", "u")], addGenerationPrompt: false));
    }

    [Theory]
    [InlineData("{% macro greet() %}hi{% endmacro %}", "'macro' tags are outside the supported subset")]
    [InlineData("{% include 'other.jinja' %}", "'include' tags are outside the supported subset")]
    [InlineData("{% for a, b in x %}{% endfor %}", "several names")]
    [InlineData("{{ 1.5 }}", "floating-point")]
    [InlineData("{% if true %}never closed", "ends inside a block")]
    [InlineData("{{ x(y=1) }}", "keyword arguments")]
    public void ConstructsOutsideTheSubset_AreRejectedAtParse_WithTheirName(string source, string reason)
    {
        var error = Assert.Throws<TemplateException>(() => JinjaTemplate.Parse(source));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void UnsupportedFilter_FailsWhenReached_AndLimitsHold()
    {
        var tojson = ChatTemplate.FromSource("{{ messages | tojson }}", null, null);
        Assert.Contains("'tojson' is outside the supported subset", Assert.Throws<TemplateException>(() => tojson.Render([("user", "u")])).Message);

        Assert.Contains("exceeds", Assert.Throws<TemplateException>(() => JinjaTemplate.Parse(new string('x', JinjaTemplate.MaxTemplateBytes + 1))).Message);
        var huge = ChatTemplate.FromSource("{% for i in range(10000) %}{{ messages[0].content }}{% endfor %}", null, null);
        Assert.Contains("exceeds", Assert.Throws<TemplateException>(() => huge.Render([("user", new string('y', 1000))])).Message);
    }

    [Fact]
    public void TokenizerConfigWithATemplate_IsUsed_WithItsSpecialTokens()
    {
        var folder = Directory.CreateTempSubdirectory("chat-template-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "tokenizer_config.json"), System.Text.Json.JsonSerializer.Serialize(new
            {
                bos_token = new { content = "<s>", lstrip = false },
                eos_token = "</s>",
                chat_template = Llama2,
            }));
            var template = ChatTemplate.ForModel(folder.FullName);
            Assert.Equal("tokenizer_config.json", template.Source);
            Assert.Equal("<s>[INST] Hi [/INST] Yo </s>", template.Render([("user", "Hi"), ("assistant", "Yo")]));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [ModelFact]
    public void Stories260k_HasNoTemplate_AndUsesTheDefault()
    {
        var template = ChatTemplate.ForModel(TestModels.Stories260kRequired);

        Assert.Equal("default", template.Source);
        Assert.Equal("user: Hi\nassistant: Yo\nassistant:", template.Render([("user", "Hi"), ("assistant", "Yo")]));
    }
}
