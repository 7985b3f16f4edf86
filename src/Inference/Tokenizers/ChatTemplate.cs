using System.Text;
using System.Text.Json;
using P2P.Inference.Tokenizers.Templates;

namespace P2P.Inference.Tokenizers;

/// <summary>
/// How a model turns chat messages into a prompt: the <c>chat_template</c> of its <c>tokenizer_config.json</c> (rendered
/// by <see cref="JinjaTemplate"/> as Hugging Face does, with <c>messages</c>, <c>bos_token</c>, <c>eos_token</c> and
/// <c>add_generation_prompt</c>), or for models without one (the stories models) the default: each message as
/// <c>role: content</c> on its own line, then <c>assistant:</c> for the model to continue.
/// </summary>
public sealed class ChatTemplate
{
    /// <summary>Largest <c>tokenizer_config.json</c> read.</summary>
    public const int MaxConfigBytes = 4 << 20;

    private readonly JinjaTemplate? _template;

    private ChatTemplate(JinjaTemplate? template, string? bosToken, string? eosToken, string source)
    {
        _template = template;
        BosToken = bosToken;
        EosToken = eosToken;
        Source = source;
    }

    public static ChatTemplate Default { get; } = new(null, null, null, "default");

    /// <summary>Where the template came from: <c>tokenizer_config.json</c> or <c>default</c>.</summary>
    public string Source { get; }

    public string? BosToken { get; }

    public string? EosToken { get; }

    /// <summary>The model's template: from <c>tokenizer_config.json</c> in a model folder when it has a <c>chat_template</c>, else <see cref="Default"/>.</summary>
    /// <exception cref="TemplateException">the file's template is malformed or outside the supported subset.</exception>
    public static ChatTemplate ForModel(string modelSpec)
    {
        var path = Path.Combine(modelSpec, "tokenizer_config.json");
        if (modelSpec.StartsWith("seed:", StringComparison.Ordinal) || !File.Exists(path)) return Default;
        if (new FileInfo(path).Length > MaxConfigBytes) throw new TemplateException($"{path} exceeds {MaxConfigBytes} bytes");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new TemplateException($"{path} is not valid JSON: {e.Message}");
        }
        using var _ = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("chat_template", out var template)) return Default;
        var source = template.ValueKind switch
        {
            JsonValueKind.String => template.GetString(),
            // Several named templates: the one named "default" (Hugging Face's choice without a tool list), else the first.
            JsonValueKind.Array => template.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.Object && Text(t, "name") == "default").Select(t => Text(t, "template")).FirstOrDefault()
                ?? template.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.Object ? Text(t, "template") : null).FirstOrDefault(),
            _ => null,
        };
        if (string.IsNullOrEmpty(source)) return Default;
        return FromSource(source, Token(root, "bos_token"), Token(root, "eos_token"));
    }

    /// <summary>A template from its Jinja source and the special tokens it may print.</summary>
    public static ChatTemplate FromSource(string source, string? bosToken, string? eosToken) =>
        new(JinjaTemplate.Parse(source), bosToken, eosToken, "tokenizer_config.json");

    /// <param name="addGenerationPrompt">end with the opening of the assistant's turn, as a request for a reply does.</param>
    /// <exception cref="TemplateException">the template refused the conversation or went beyond the subset.</exception>
    public string Render(IReadOnlyList<(string Role, string Content)> messages, bool addGenerationPrompt = true)
    {
        if (_template is null)
        {
            var text = new StringBuilder();
            foreach (var (role, content) in messages) text.Append(role).Append(": ").Append(content).Append('\n');
            return addGenerationPrompt ? text.Append("assistant:").ToString() : text.ToString();
        }
        var list = messages.Select(m => (object?)new Dictionary<string, object?> { ["role"] = m.Role, ["content"] = m.Content }).ToList();
        return _template.Render(new Dictionary<string, object?>
        {
            ["messages"] = list,
            ["bos_token"] = BosToken ?? "",
            ["eos_token"] = EosToken ?? "",
            ["add_generation_prompt"] = addGenerationPrompt,
        });
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A special token: a string, or an AddedToken object with its <c>content</c>.</summary>
    private static string? Token(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object => Text(v, "content"),
            _ => null,
        } : null;
}
