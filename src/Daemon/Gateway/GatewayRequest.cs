using System.Text.Json;

namespace P2P.Daemon.Gateway;

/// <summary>An OpenAI completion or chat-completion request, parsed and checked field by field.</summary>
public sealed record GatewayRequest
{
    public required string Model { get; init; }
    public string? PromptText { get; init; }

    /// <summary>A chat request's messages (role, content), for the model's chat template.</summary>
    public IReadOnlyList<(string Role, string Content)>? Messages { get; init; }
    public int[]? PromptIds { get; init; }
    public int? MaxTokens { get; init; }
    public float Temperature { get; init; } = 1f;
    public float TopP { get; init; } = 1f;
    public ulong Seed { get; init; }
    public string[] Stop { get; init; } = [];
    public bool Stream { get; init; }
    public bool IncludeUsage { get; init; }
    public bool LogProbs { get; init; }
    public int TopLogProbs { get; init; }

    public static GatewayRequest Parse(JsonElement root, bool chat)
    {
        if (root.ValueKind != JsonValueKind.Object) throw OpenAiError.Invalid("the request body must be a JSON object");
        string model = String(root, "model") ?? throw OpenAiError.Invalid("you must provide a model parameter", "model", "missing_required_parameter");
        if (root.TryGetProperty("n", out var n) && !(n.ValueKind == JsonValueKind.Null || (n.TryGetInt32(out var count) && count == 1)))
            throw OpenAiError.Invalid("only n = 1 is supported", "n", "unsupported_value");
        string? text = null;
        int[]? ids = null;
        List<(string, string)>? turns = null;
        if (chat)
        {
            if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
                throw OpenAiError.Invalid("messages must be a non-empty array", "messages", "missing_required_parameter");
            turns = [];
            foreach (var message in messages.EnumerateArray())
            {
                var role = message.ValueKind == JsonValueKind.Object ? String(message, "role") : null;
                if (role is null || !message.TryGetProperty("content", out var content)) throw OpenAiError.Invalid("each message needs a role and content", "messages");
                turns.Add((role, Content(content)));
            }
        }
        else
        {
            if (!root.TryGetProperty("prompt", out var prompt)) throw OpenAiError.Invalid("you must provide a prompt", "prompt", "missing_required_parameter");
            if (prompt.ValueKind == JsonValueKind.String) text = prompt.GetString();
            else if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String) text = prompt[0].GetString();
            else if (prompt.ValueKind == JsonValueKind.Array && prompt.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number))
                ids = [.. prompt.EnumerateArray().Select(e => e.TryGetInt32(out var id) ? id : throw OpenAiError.Invalid("prompt token ids must be integers", "prompt"))];
            else throw OpenAiError.Invalid("prompt must be a string or an array of token ids (one prompt per request)", "prompt");
        }
        int? maxTokens = Int(root, "max_completion_tokens") ?? Int(root, "max_tokens");
        if (maxTokens is < 0) throw OpenAiError.Invalid("max_tokens must not be negative", "max_tokens");
        float temperature = Float(root, "temperature") ?? 1f;
        if (temperature is < 0 or > 2) throw OpenAiError.Invalid("temperature must be between 0 and 2", "temperature");
        float topP = Float(root, "top_p") ?? 1f;
        if (topP is <= 0 or > 1) throw OpenAiError.Invalid("top_p must be in (0, 1]", "top_p");
        ulong seed = root.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number ? (s.TryGetInt64(out var sv) ? unchecked((ulong)sv) : throw OpenAiError.Invalid("seed must be an integer", "seed")) : 0;
        string[] stop = [];
        if (root.TryGetProperty("stop", out var st))
        {
            stop = st.ValueKind switch
            {
                JsonValueKind.String => [st.GetString()!],
                JsonValueKind.Array => [.. st.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw OpenAiError.Invalid("stop must be strings", "stop"))],
                JsonValueKind.Null => [],
                _ => throw OpenAiError.Invalid("stop must be a string or an array of strings", "stop"),
            };
            if (stop.Length > 4 || stop.Any(x => x.Length == 0)) throw OpenAiError.Invalid("stop takes up to 4 non-empty strings", "stop");
        }
        bool stream = root.TryGetProperty("stream", out var sm) && sm.ValueKind == JsonValueKind.True;
        bool includeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
        bool logprobs;
        int top;
        if (chat)
        {
            logprobs = root.TryGetProperty("logprobs", out var lp) && lp.ValueKind == JsonValueKind.True;
            top = Int(root, "top_logprobs") ?? 0;
            if (top is < 0 or > 20) throw OpenAiError.Invalid("top_logprobs must be 0..20", "top_logprobs");
            if (top > 0 && !logprobs) throw OpenAiError.Invalid("top_logprobs needs logprobs: true", "top_logprobs");
        }
        else
        {
            int? requested = Int(root, "logprobs");
            if (requested is < 0 or > 5) throw OpenAiError.Invalid("logprobs must be 0..5", "logprobs");
            logprobs = requested is not null;
            top = requested ?? 0;
        }
        return new GatewayRequest
        {
            Model = model,
            PromptText = text,
            PromptIds = ids,
            Messages = turns,
            MaxTokens = maxTokens,
            Temperature = temperature,
            TopP = topP,
            Seed = seed,
            Stop = stop,
            Stream = stream,
            IncludeUsage = includeUsage,
            LogProbs = logprobs,
            TopLogProbs = top,
        };
    }

    private static string Content(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString()!,
        JsonValueKind.Array => string.Concat(content.EnumerateArray().Select(p =>
            p.ValueKind == JsonValueKind.Object && String(p, "type") == "text" ? String(p, "text") ?? "" : throw OpenAiError.Invalid("only text content parts are supported", "messages"))),
        JsonValueKind.Null => "",
        _ => throw OpenAiError.Invalid("message content must be a string or text parts", "messages"),
    };

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Null ? null : throw OpenAiError.Invalid($"{name} must be a string", name) : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw OpenAiError.Invalid($"{name} must be an integer", name)
            : null;

    private static float? Float(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.Number ? v.GetSingle() : throw OpenAiError.Invalid($"{name} must be a number", name)
            : null;
}
