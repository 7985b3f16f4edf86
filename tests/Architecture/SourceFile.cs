using System.Text.RegularExpressions;

namespace P2P.Architecture.Tests;

/// <summary>
/// What one C# file declares and names: its namespace, using directives, types, extension methods, the (possibly
/// qualified) names its code starts expressions and types with, and the member names it accesses (for extension calls).
/// </summary>
public sealed partial record SourceFile(
    string Path,
    string Namespace,
    IReadOnlyList<string> Usings,
    IReadOnlyList<string> GlobalUsings,
    IReadOnlyDictionary<string, string> Aliases,
    IReadOnlyList<string> DeclaredTypes,
    IReadOnlyList<string> ExtensionMethods,
    IReadOnlyList<string> Names,
    IReadOnlyList<string> MemberNames)
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue", "decimal",
        "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally", "fixed", "float", "for",
        "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new", "null",
        "object", "operator", "out", "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte",
        "sealed", "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while", "record", "var", "where",
    ];

    /// <summary>Parses C# source; <paramref name="path"/> only labels the result.</summary>
    public static SourceFile Parse(string path, string source)
    {
        string code = SourceText.CodeOnly(source);
        string ns = NamespacePattern().Match(code) is { Success: true } m ? m.Groups["name"].Value : "";
        var usings = new List<string>();
        var globalUsings = new List<string>();
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var staticImports = new List<string>();
        foreach (Match u in UsingPattern().Matches(code))
        {
            string target = u.Groups["target"].Value;
            if (u.Groups["alias"].Success) aliases[u.Groups["alias"].Value] = target;
            else if (u.Groups["static"].Success) staticImports.Add(target);
            else (u.Groups["global"].Success ? globalUsings : usings).Add(target);
        }
        var declared = TypePattern().Matches(code).Select(t => t.Groups["name"].Value)
            .Concat(DelegatePattern().Matches(code).Select(t => t.Groups["name"].Value))
            .Where(n => !Keywords.Contains(n)).Distinct().ToList();
        var extensions = ExtensionPattern().Matches(code).Select(e => e.Groups["name"].Value).Distinct().ToList();
        string body = UsingPattern().Replace(NamespacePattern().Replace(code, ""), "");
        var names = QualifiedNamePattern().Matches(body).Select(n => WhitespacePattern().Replace(n.Value, ""))
            .Where(n => !Keywords.Contains(n)).Concat(staticImports).Distinct().ToList();
        var members = MemberAccessPattern().Matches(body).Select(n => n.Groups["name"].Value).Distinct().ToList();
        return new SourceFile(path, ns, usings, globalUsings, aliases, declared, extensions, names, members);
    }

    /// <summary>A .proto file: the messages and enums protoc generates into its csharp_namespace.</summary>
    public static SourceFile ParseProto(string path, string source)
    {
        string ns = ProtoNamespacePattern().Match(source) is { Success: true } m ? m.Groups["name"].Value : "";
        var declared = ProtoTypePattern().Matches(source).Select(t => t.Groups["name"].Value).Distinct().ToList();
        return new SourceFile(path, ns, [], [], new Dictionary<string, string>(), declared, [], [], []);
    }

    [GeneratedRegex(@"\bnamespace\s+(?<name>[\w.]+)\s*[;{]")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"^[ \t]*(?<global>global\s+)?using\s+(?<static>static\s+)?(?:(?<alias>\w+)\s*=\s*)?(?<target>[\w.]+)\s*(?:<[^;\n]*>)?\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingPattern();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)\s+(?:(?:class|struct)\s+)?(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"\bdelegate\s+[\w.<>\[\]?,\s*]+?\s(?<name>[A-Za-z_]\w*)\s*[<(]")]
    private static partial Regex DelegatePattern();

    [GeneratedRegex(@"\bstatic\s+[^;{}()=]*?\s(?<name>[A-Za-z_]\w*)\s*(?:<[^>()]*>)?\s*\(\s*this\s")]
    private static partial Regex ExtensionPattern();

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*")]
    private static partial Regex QualifiedNamePattern();

    [GeneratedRegex(@"\.\s*(?<name>[A-Za-z_]\w*)")]
    private static partial Regex MemberAccessPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@"option\s+csharp_namespace\s*=\s*""(?<name>[\w.]+)""")]
    private static partial Regex ProtoNamespacePattern();

    [GeneratedRegex(@"^\s*(?:message|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex ProtoTypePattern();
}
