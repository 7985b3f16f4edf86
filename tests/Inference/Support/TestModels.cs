using System.Text.Json;
using P2P.Testing;

namespace P2P.Inference.Tests.Support;

/// <summary>Locates the shared test models: $P2P_TEST_MODELS, or a sibling shared/models of the repository root.</summary>
public static class TestModels
{
    public static string? Root { get; } = Find();

    public static string? Stories260k => Root is null ? null : Existing(Path.Combine(Root, "stories260k"));

    public static string Stories260kRequired => Stories260k ?? throw new InvalidOperationException("stories260k is absent");

    public static string? MissingReason(string model) =>
        Root is null
            ? "test models not found: set P2P_TEST_MODELS or place shared/models beside the repository"
            : Existing(Path.Combine(Root, model)) is null ? $"test model {model} not found under {Root}" : null;

    private static string? Existing(string directory) =>
        File.Exists(Path.Combine(directory, "config.json")) && File.Exists(Path.Combine(directory, "model.safetensors")) ? directory : null;

    private static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("P2P_TEST_MODELS");
        if (!string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(fromEnvironment)) return fromEnvironment;
        if (RepositoryPaths.Root is not { } root) return null;
        var candidate = Path.Combine(Path.GetDirectoryName(root) ?? root, "shared", "models");
        return Directory.Exists(candidate) ? candidate : null;
    }

    /// <summary>expected.json of stories260k: greedy ids and position-0 logits from an independent implementation.</summary>
    public static (int[] PromptIds, int[] GreedyIds, float[] Logits, float Tolerance) Stories260kExpected()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Stories260kRequired, "expected.json")));
        var root = doc.RootElement;
        return (
            root.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            root.GetProperty("greedy_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            root.GetProperty("logits_position0").EnumerateArray().Select(e => e.GetSingle()).ToArray(),
            root.GetProperty("logits_tolerance").GetSingle());
    }
}
