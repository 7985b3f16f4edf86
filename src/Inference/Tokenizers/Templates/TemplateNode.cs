namespace P2P.Inference.Tokenizers.Templates;

/// <summary>
/// A parsed statement. Text → Text; Output → Expression; Set → Name = Expression; For → for Name in Expression: Body,
/// else Otherwise; If → Branches (condition, body) in order, a null condition being the <c>else</c>.
/// </summary>
internal sealed record TemplateNode(NodeKind Kind)
{
    public string Text { get; init; } = "";
    public string Name { get; init; } = "";
    public Expression? Expression { get; init; }
    public IReadOnlyList<TemplateNode> Body { get; init; } = [];
    public IReadOnlyList<TemplateNode> Otherwise { get; init; } = [];
    public IReadOnlyList<(Expression? Condition, IReadOnlyList<TemplateNode> Body)> Branches { get; init; } = [];
}
