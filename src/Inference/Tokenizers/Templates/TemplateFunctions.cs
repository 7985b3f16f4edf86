namespace P2P.Inference.Tokenizers.Templates;

/// <summary>The filters, tests, string/mapping methods and global functions the supported subset offers.</summary>
internal static class TemplateFunctions
{
    public static object? Filter(string name, object? value, IReadOnlyList<object?> arguments, int offset) => name switch
    {
        "trim" => Text(value, name, offset).Trim(),
        "upper" => Text(value, name, offset).ToUpperInvariant(),
        "lower" => Text(value, name, offset).ToLowerInvariant(),
        "capitalize" => Text(value, name, offset) is { Length: > 0 } s ? char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant() : "",
        "string" => TemplateRenderer.Print(value),
        "length" or "count" => value switch
        {
            string s => (long)s.Length,
            IReadOnlyList<object?> list => (long)list.Count,
            IReadOnlyDictionary<string, object?> map => (long)map.Count,
            _ => throw new TemplateException($"'{name}' needs a string, list or mapping, not {TemplateRenderer.TypeName(value)} (offset {offset})"),
        },
        "first" => value is IReadOnlyList<object?> { Count: > 0 } first ? first[0] : Undefined.Value,
        "last" => value is IReadOnlyList<object?> { Count: > 0 } last ? last[^1] : Undefined.Value,
        "join" => value is IReadOnlyList<object?> parts
            ? string.Join(arguments.Count > 0 ? Text(arguments[0], name, offset) : "", parts.Select(TemplateRenderer.Print))
            : throw new TemplateException($"'join' needs a list (offset {offset})"),
        "default" or "d" => value is Undefined || (arguments.Count > 1 && !TemplateRenderer.Truthy(value)) ? (arguments.Count > 0 ? arguments[0] : "") : value,
        _ => throw new TemplateException($"the filter '{name}' is outside the supported subset (offset {offset})"),
    };

    public static bool Test(string name, object? value, int offset) => name switch
    {
        "defined" => value is not Undefined,
        "undefined" => value is Undefined,
        "none" => value is null,
        "string" => value is string,
        "number" or "integer" => value is long,
        "boolean" => value is bool,
        "mapping" => value is IReadOnlyDictionary<string, object?>,
        "sequence" or "iterable" => value is string or IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>,
        "true" => value is true,
        "false" => value is false,
        "even" => value is long even && even % 2 == 0,
        "odd" => value is long odd && odd % 2 != 0,
        _ => throw new TemplateException($"the test '{name}' is outside the supported subset (offset {offset})"),
    };

    public static object? Method(object? target, string name, IReadOnlyList<object?> arguments, int offset)
    {
        if (target is string s)
        {
            string? chars = arguments.Count > 0 && arguments[0] is string c ? c : null;
            return name switch
            {
                "strip" => chars is null ? s.Trim() : s.Trim(chars.ToCharArray()),
                "lstrip" => chars is null ? s.TrimStart() : s.TrimStart(chars.ToCharArray()),
                "rstrip" => chars is null ? s.TrimEnd() : s.TrimEnd(chars.ToCharArray()),
                "upper" => s.ToUpperInvariant(),
                "lower" => s.ToLowerInvariant(),
                "startswith" => s.StartsWith(Text(Argument(arguments, 0, name, offset), name, offset), StringComparison.Ordinal),
                "endswith" => s.EndsWith(Text(Argument(arguments, 0, name, offset), name, offset), StringComparison.Ordinal),
                "replace" => s.Replace(Text(Argument(arguments, 0, name, offset), name, offset), Text(Argument(arguments, 1, name, offset), name, offset), StringComparison.Ordinal),
                "split" => s.Split(chars ?? " ", chars is null ? StringSplitOptions.RemoveEmptyEntries : StringSplitOptions.None).Select(p => (object?)p).ToList(),
                _ => throw new TemplateException($"the string method '{name}' is outside the supported subset (offset {offset})"),
            };
        }
        if (target is IReadOnlyDictionary<string, object?> map)
        {
            return name switch
            {
                "get" => Argument(arguments, 0, name, offset) is string key && map.TryGetValue(key, out var value) ? value : arguments.Count > 1 ? arguments[1] : null,
                "keys" => map.Keys.Select(k => (object?)k).ToList(),
                "values" => map.Values.ToList(),
                "items" => map.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList(),
                _ => throw new TemplateException($"the mapping method '{name}' is outside the supported subset (offset {offset})"),
            };
        }
        throw new TemplateException($"cannot call '{name}' on {TemplateRenderer.TypeName(target)} (offset {offset})");
    }

    public static object? Global(string name, IReadOnlyList<object?> arguments, int offset) => name switch
    {
        "raise_exception" => throw new TemplateException("the chat template refused the conversation: " + TemplateRenderer.Print(arguments.Count > 0 ? arguments[0] : "")),
        "range" => arguments is [long count] ? Enumerable.Range(0, (int)Math.Clamp(count, 0, 10_000)).Select(i => (object?)(long)i).ToList()
            : throw new TemplateException($"only range(n) is supported (offset {offset})"),
        _ => throw new TemplateException($"the function '{name}' is outside the supported subset (offset {offset})"),
    };

    private static object? Argument(IReadOnlyList<object?> arguments, int index, string name, int offset) =>
        index < arguments.Count ? arguments[index] : throw new TemplateException($"'{name}' needs {index + 1} argument(s) (offset {offset})");

    private static string Text(object? value, string name, int offset) =>
        value as string ?? throw new TemplateException($"'{name}' needs a string, not {TemplateRenderer.TypeName(value)} (offset {offset})");
}
