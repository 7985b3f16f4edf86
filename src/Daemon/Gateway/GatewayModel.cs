using System.Collections.Concurrent;
using P2P.Inference.Models;
using P2P.Inference.Tokenizers;
using P2P.InferenceNetwork.Adverts;

namespace P2P.Daemon.Gateway;

/// <summary>What the gateway needs of a model to serve a request: its config (context, stop tokens), tokenizer and chat template.</summary>
public sealed record GatewayModel(string ModelId, string Name, ModelConfig Config, ITokenizer Tokenizer, int? BosTokenId)
{
    /// <summary>From the model folder's <c>tokenizer_config.json</c> when it has a <c>chat_template</c>, else the default.</summary>
    public ChatTemplate Chat { get; init; } = ChatTemplate.Default;

    private static readonly ConcurrentDictionary<string, GatewayModel> Cache = new();

    /// <summary>
    /// From the advert's spec (a seed spec, or a folder present here, else the same-named folder under the gateway's models
    /// directory). Models without <c>tokenizer.json</c> get the byte tokenizer (ids 0–255 are UTF-8 bytes).
    /// </summary>
    public static GatewayModel? For(CapabilityAdvert advert, string modelsDirectory)
    {
        if (Cache.TryGetValue(advert.ModelId, out var cached)) return cached;
        var spec = advert.Spec.StartsWith("seed:", StringComparison.Ordinal) || Directory.Exists(advert.Spec)
            ? advert.Spec
            : Path.Combine(modelsDirectory, advert.Name);
        if (!spec.StartsWith("seed:", StringComparison.Ordinal) && !File.Exists(Path.Combine(spec, "config.json"))) return null;
        var config = ModelLoader.LoadConfig(spec);
        var encoder = PromptEncoder.ForModel(spec, config);
        var model = new GatewayModel(advert.ModelId, advert.Name, config, encoder?.Tokenizer ?? new ByteTokenizer(), encoder?.BosTokenId ?? config.BosTokenId)
        {
            Chat = ChatTemplate.ForModel(spec),
        };
        return Cache.GetOrAdd(advert.ModelId, model);
    }

    /// <summary>The chat prompt's text; a BOS token the template prints first is left to <see cref="Encode"/>, which adds its id.</summary>
    public string RenderChat(IReadOnlyList<(string Role, string Content)> messages)
    {
        var text = Chat.Render(messages);
        return BosTokenId is not null && Chat.BosToken is { Length: > 0 } bos && text.StartsWith(bos, StringComparison.Ordinal) ? text[bos.Length..] : text;
    }

    public int[] Encode(string text)
    {
        var ids = Tokenizer.Encode(text);
        return BosTokenId is { } bos ? [bos, .. ids] : ids;
    }
}
