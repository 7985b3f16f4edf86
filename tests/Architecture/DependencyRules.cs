using System.Text.RegularExpressions;

namespace P2P.Architecture.Tests;

/// <summary>
/// The "Dependency rules" block of docs/architecture.md, read as data: each line "A, B → C, D (comment)" says which
/// of our src projects A and B may reference; "(nothing of ours)" is the empty list. The document is the rule.
/// </summary>
public sealed partial class DependencyRules
{
    private readonly Dictionary<string, HashSet<string>> _allowed;

    private DependencyRules(Dictionary<string, HashSet<string>> allowed) => _allowed = allowed;

    public IReadOnlyCollection<string> Areas => _allowed.Keys;

    public bool Governs(string area) => _allowed.ContainsKey(area);

    public IReadOnlySet<string> AllowedFor(string area) => _allowed[area];

    public static DependencyRules Parse(string architectureMarkdown)
    {
        int section = architectureMarkdown.IndexOf("## Dependency rules", StringComparison.Ordinal);
        if (section < 0) throw new FormatException("docs/architecture.md has no '## Dependency rules' section");
        int open = architectureMarkdown.IndexOf("```", section, StringComparison.Ordinal);
        int close = open < 0 ? -1 : architectureMarkdown.IndexOf("```", open + 3, StringComparison.Ordinal);
        if (close < 0) throw new FormatException("the dependency rules section has no ``` block");
        var allowed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in architectureMarkdown[(open + 3)..close].Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('→');
            if (parts.Length != 2) throw new FormatException($"not a rule (want 'A → B, C'): {line}");
            var targets = Names(CommentPattern().Replace(parts[1], "")).ToHashSet(StringComparer.Ordinal);
            foreach (var source in Names(parts[0]))
            {
                if (!allowed.TryAdd(source, targets)) throw new FormatException($"{source} has two rules");
            }
        }
        return new DependencyRules(allowed);
    }

    private static IEnumerable<string> Names(string list) =>
        list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex CommentPattern();
}
