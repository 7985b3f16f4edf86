using System.Text;

namespace P2P.Inference.Tokenizers.Templates;

/// <summary>
/// A compiled template in the Jinja subset Hugging Face chat templates use: <c>{{ }}</c>, <c>{% if/elif/else %}</c>,
/// <c>{% for %}</c> (with <c>loop.*</c>), <c>{% set %}</c>, <c>{# #}</c>, whitespace control, literals, <c>messages[0]['role']</c>
/// and <c>message.content</c>, slices, <c>+ - * // % ~</c>, comparisons, <c>and/or/not</c>, <c>in</c>, <c>is [not] defined</c>
/// and other tests, a few filters (<c>trim</c>, <c>length</c>, <c>default</c>, …), string methods (<c>strip</c>, …) and
/// <c>raise_exception</c>. Anything else (macros, includes, keyword arguments, floats, <c>tojson</c>, …) is rejected at
/// parse time or when reached, with a <see cref="TemplateException"/> naming it.
/// </summary>
public sealed class JinjaTemplate
{
    /// <summary>Largest template accepted (UTF-8 bytes).</summary>
    public const int MaxTemplateBytes = 64 * 1024;

    /// <summary>Largest rendered text.</summary>
    public const int MaxOutputChars = 1 << 20;

    private const int MaxIterations = 100_000;
    private readonly List<TemplateNode> _nodes;

    private JinjaTemplate(List<TemplateNode> nodes) => _nodes = nodes;

    public static JinjaTemplate Parse(string source)
    {
        if (Encoding.UTF8.GetByteCount(source) > MaxTemplateBytes) throw new TemplateException($"the template exceeds {MaxTemplateBytes} bytes");
        return new JinjaTemplate(new TemplateParser(TemplateLexer.Tokenize(source)).ParseTemplate());
    }

    /// <summary>Renders with <paramref name="variables"/>: strings, long, bool, null, lists and string-keyed mappings of them.</summary>
    public string Render(IReadOnlyDictionary<string, object?> variables) =>
        new TemplateRenderer(MaxOutputChars, MaxIterations).Render(_nodes, variables);
}
