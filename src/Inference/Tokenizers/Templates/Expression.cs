namespace P2P.Inference.Tokenizers.Templates;

/// <summary>
/// A parsed expression. Fields by kind: Literal → Value; Variable → Name; Attribute → Target.Name; Index → Target[Left];
/// Slice → Target[Left:Right]; Call → Target(Arguments); Filter → Target | Name(Arguments); Test → Target is [not] Name;
/// Unary → Name Left; Binary → Left Name Right; Conditional → Left if Target else Right; List → [Arguments].
/// </summary>
internal sealed record Expression(ExpressionKind Kind, int Offset)
{
    public object? Value { get; init; }
    public string Name { get; init; } = "";
    public Expression? Target { get; init; }
    public Expression? Left { get; init; }
    public Expression? Right { get; init; }
    public IReadOnlyList<Expression> Arguments { get; init; } = [];
    public bool Negated { get; init; }
}
