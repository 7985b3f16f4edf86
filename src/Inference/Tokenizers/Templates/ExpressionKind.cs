namespace P2P.Inference.Tokenizers.Templates;

/// <summary>The supported expression forms.</summary>
internal enum ExpressionKind
{
    Literal,
    Variable,
    Attribute,
    Index,
    Slice,
    Call,
    Filter,
    Test,
    Unary,
    Binary,
    Conditional,
    List,
}
