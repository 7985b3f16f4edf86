using System.Globalization;
using System.Text;

namespace P2P.Inference.Tokenizers.Templates;

/// <summary>
/// Evaluates a parsed template over Python-like values: string, long, bool, null (None), <see cref="Undefined"/>,
/// lists (<c>IReadOnlyList&lt;object?&gt;</c>) and mappings (<c>IReadOnlyDictionary&lt;string, object?&gt;</c>).
/// </summary>
internal sealed class TemplateRenderer(int maxOutputChars, int maxIterations)
{
    private readonly StringBuilder _output = new();
    private readonly List<Dictionary<string, object?>> _scopes = [];
    private int _iterations;

    public string Render(IReadOnlyList<TemplateNode> nodes, IReadOnlyDictionary<string, object?> variables)
    {
        _scopes.Add(new Dictionary<string, object?>(variables));
        Execute(nodes);
        return _output.ToString();
    }

    private void Execute(IReadOnlyList<TemplateNode> nodes)
    {
        foreach (var node in nodes)
        {
            switch (node.Kind)
            {
                case NodeKind.Text:
                    Write(node.Text);
                    break;
                case NodeKind.Output:
                    Write(Print(Evaluate(node.Expression!)));
                    break;
                case NodeKind.Set:
                    _scopes[^1][node.Name] = Evaluate(node.Expression!);
                    break;
                case NodeKind.If:
                    foreach (var (condition, body) in node.Branches)
                    {
                        if (condition is not null && !Truthy(Evaluate(condition))) continue;
                        Execute(body);
                        break;
                    }
                    break;
                case NodeKind.For:
                    Loop(node);
                    break;
            }
        }
    }

    private void Loop(TemplateNode node)
    {
        var sequence = Evaluate(node.Expression!) switch
        {
            IReadOnlyList<object?> list => list,
            string text => [.. text.Select(c => (object?)c.ToString())],
            IReadOnlyDictionary<string, object?> map => [.. map.Keys],
            Undefined => [],
            var other => throw new TemplateException($"cannot loop over {TypeName(other)}"),
        };
        if (sequence.Count == 0)
        {
            Execute(node.Otherwise);
            return;
        }
        // A loop's variables (and what it sets) live in its own scope, as in Jinja.
        var scope = new Dictionary<string, object?>();
        _scopes.Add(scope);
        for (int i = 0; i < sequence.Count; i++)
        {
            if (++_iterations > maxIterations) throw new TemplateException($"the template ran more than {maxIterations} loop iterations");
            scope.Clear();
            scope[node.Name] = sequence[i];
            scope["loop"] = new Dictionary<string, object?>
            {
                ["index"] = (long)i + 1,
                ["index0"] = (long)i,
                ["revindex"] = (long)(sequence.Count - i),
                ["revindex0"] = (long)(sequence.Count - i - 1),
                ["first"] = i == 0,
                ["last"] = i == sequence.Count - 1,
                ["length"] = (long)sequence.Count,
                ["previtem"] = i > 0 ? sequence[i - 1] : Undefined.Value,
                ["nextitem"] = i + 1 < sequence.Count ? sequence[i + 1] : Undefined.Value,
            };
            Execute(node.Body);
        }
        _scopes.RemoveAt(_scopes.Count - 1);
    }

    private void Write(string text)
    {
        if (_output.Length + text.Length > maxOutputChars) throw new TemplateException($"the rendered prompt exceeds {maxOutputChars} characters");
        _output.Append(text);
    }

    private object? Lookup(string name)
    {
        for (int i = _scopes.Count - 1; i >= 0; i--)
            if (_scopes[i].TryGetValue(name, out var value)) return value;
        return Undefined.Value;
    }

    private object? Evaluate(Expression e) => e.Kind switch
    {
        ExpressionKind.Literal => e.Value,
        ExpressionKind.Variable => Lookup(e.Name),
        ExpressionKind.Attribute => Member(Evaluate(e.Target!), e.Name),
        ExpressionKind.Index => Item(Evaluate(e.Target!), Evaluate(e.Left!), e.Offset),
        ExpressionKind.Slice => Slice(Evaluate(e.Target!), e.Left is null ? null : Evaluate(e.Left), e.Right is null ? null : Evaluate(e.Right), e.Offset),
        ExpressionKind.Call => Call(e),
        ExpressionKind.Filter => TemplateFunctions.Filter(e.Name, Evaluate(e.Target!), [.. e.Arguments.Select(Evaluate)], e.Offset),
        ExpressionKind.Test => TemplateFunctions.Test(e.Name, Evaluate(e.Target!), e.Offset) != e.Negated,
        ExpressionKind.Unary => e.Name == "not" ? !Truthy(Evaluate(e.Left!)) : Negate(e.Name, Evaluate(e.Left!), e.Offset),
        ExpressionKind.Binary => Binary(e),
        ExpressionKind.Conditional => Truthy(Evaluate(e.Target!)) ? Evaluate(e.Left!) : e.Right is null ? Undefined.Value : Evaluate(e.Right),
        ExpressionKind.List => e.Arguments.Select(Evaluate).ToList(),
        _ => throw new TemplateException($"unsupported expression at offset {e.Offset}"),
    };

    private object? Call(Expression e)
    {
        var arguments = e.Arguments.Select(Evaluate).ToList();
        if (e.Target!.Kind == ExpressionKind.Attribute)
            return TemplateFunctions.Method(Evaluate(e.Target.Target!), e.Target.Name, arguments, e.Offset);
        if (e.Target.Kind == ExpressionKind.Variable && Lookup(e.Target.Name) is Undefined)
            return TemplateFunctions.Global(e.Target.Name, arguments, e.Offset);
        throw new TemplateException($"only built-in functions and methods can be called (offset {e.Offset})");
    }

    private object? Binary(Expression e)
    {
        switch (e.Name)
        {
            case "and":
                var left = Evaluate(e.Left!);
                return Truthy(left) ? Evaluate(e.Right!) : left;
            case "or":
                var first = Evaluate(e.Left!);
                return Truthy(first) ? first : Evaluate(e.Right!);
        }
        object? a = Evaluate(e.Left!), b = Evaluate(e.Right!);
        return e.Name switch
        {
            "==" => ValuesEqual(a, b),
            "!=" => !ValuesEqual(a, b),
            "<" or "<=" or ">" or ">=" => Compare(e.Name, a, b, e.Offset),
            "in" => Contains(b, a, e.Offset) != e.Negated,
            "~" => Print(a) + Print(b),
            "+" when a is string sa && b is string sb => sa + sb,
            "+" when a is IReadOnlyList<object?> la && b is IReadOnlyList<object?> lb => la.Concat(lb).ToList(),
            "+" or "-" or "*" or "//" or "%" when a is long x && b is long y => Arithmetic(e.Name, x, y, e.Offset),
            "*" when a is string s && b is long n => string.Concat(Enumerable.Repeat(s, (int)Math.Clamp(n, 0, maxOutputChars / Math.Max(1, s.Length)))),
            _ => throw new TemplateException($"cannot apply '{e.Name}' to {TypeName(a)} and {TypeName(b)} (offset {e.Offset})"),
        };
    }

    private static long Arithmetic(string op, long x, long y, int offset)
    {
        if (op is "//" or "%" && y == 0) throw new TemplateException($"division by zero (offset {offset})");
        return op switch
        {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "//" => (long)Math.Floor((double)x / y),
            _ => ((x % y) + y) % y,
        };
    }

    private static object Negate(string op, object? value, int offset) => value is long n
        ? op == "-" ? -n : n
        : throw new TemplateException($"cannot apply unary '{op}' to {TypeName(value)} (offset {offset})");

    private static bool Compare(string op, object? a, object? b, int offset)
    {
        int order = (a, b) switch
        {
            (long x, long y) => x.CompareTo(y),
            (string x, string y) => string.CompareOrdinal(x, y),
            _ => throw new TemplateException($"cannot compare {TypeName(a)} with {TypeName(b)} (offset {offset})"),
        };
        return op switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };
    }

    private static bool Contains(object? container, object? item, int offset) => container switch
    {
        string text when item is string part => text.Contains(part, StringComparison.Ordinal),
        IReadOnlyList<object?> list => list.Any(x => ValuesEqual(x, item)),
        IReadOnlyDictionary<string, object?> map => item is string key && map.ContainsKey(key),
        Undefined => false,
        _ => throw new TemplateException($"'in' needs a string, list or mapping, not {TypeName(container)} (offset {offset})"),
    };

    internal static bool ValuesEqual(object? a, object? b) => (a, b) switch
    {
        (null, null) or (Undefined, Undefined) => true,
        (string x, string y) => x == y,
        (long x, long y) => x == y,
        (bool x, bool y) => x == y,
        (IReadOnlyList<object?> x, IReadOnlyList<object?> y) => x.Count == y.Count && x.Zip(y).All(p => ValuesEqual(p.First, p.Second)),
        _ => ReferenceEquals(a, b),
    };

    private static object? Member(object? target, string name) => target switch
    {
        IReadOnlyDictionary<string, object?> map => map.TryGetValue(name, out var value) ? value : Undefined.Value,
        _ => Undefined.Value,
    };

    private static object? Item(object? target, object? key, int offset) => (target, key) switch
    {
        (IReadOnlyDictionary<string, object?> map, string name) => map.TryGetValue(name, out var value) ? value : Undefined.Value,
        (IReadOnlyList<object?> list, long index) => Within(index, list.Count) is { } at ? list[at] : Undefined.Value,
        (string text, long index) => Within(index, text.Length) is { } at ? text[at].ToString() : Undefined.Value,
        (Undefined, _) => throw new TemplateException($"cannot index an undefined value (offset {offset})"),
        _ => Undefined.Value,
    };

    private static int? Within(long index, int count)
    {
        if (index < 0) index += count;
        return index >= 0 && index < count ? (int)index : null;
    }

    private static object? Slice(object? target, object? start, object? end, int offset)
    {
        int length = target switch
        {
            IReadOnlyList<object?> list => list.Count,
            string text => text.Length,
            _ => throw new TemplateException($"cannot slice {TypeName(target)} (offset {offset})"),
        };
        int from = Bound(start, 0), to = Bound(end, length);
        if (to < from) to = from;
        return target is string s ? s[from..to] : ((IReadOnlyList<object?>)target!).Skip(from).Take(to - from).ToList();

        int Bound(object? value, int fallback)
        {
            if (value is null) return fallback;
            if (value is not long n) throw new TemplateException($"slice bounds must be integers (offset {offset})");
            if (n < 0) n += length;
            return (int)Math.Clamp(n, 0, length);
        }
    }

    internal static bool Truthy(object? value) => value switch
    {
        null or Undefined => false,
        bool b => b,
        long n => n != 0,
        string s => s.Length > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        IReadOnlyDictionary<string, object?> map => map.Count > 0,
        _ => true,
    };

    /// <summary>Python's str() of a value, as Jinja prints it.</summary>
    internal static string Print(object? value) => value switch
    {
        null => "None",
        Undefined => "",
        string s => s,
        bool b => b ? "True" : "False",
        long n => n.ToString(CultureInfo.InvariantCulture),
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Representation)) + "]",
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(", ", map.Select(p => Representation(p.Key) + ": " + Representation(p.Value))) + "}",
        _ => value.ToString() ?? "",
    };

    private static string Representation(object? value) => value is string s ? "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'" : Print(value);

    internal static string TypeName(object? value) => value switch
    {
        null => "None",
        Undefined => "an undefined value",
        string => "a string",
        bool => "a boolean",
        long => "an integer",
        IReadOnlyList<object?> => "a list",
        IReadOnlyDictionary<string, object?> => "a mapping",
        _ => value.GetType().Name,
    };
}
