namespace P2P.Inference.Tokenizers.Templates;

/// <summary>Kinds of template tokens: literal text, tag delimiters and the pieces of expressions inside tags.</summary>
internal enum TokenKind
{
    Text,
    BlockOpen,
    BlockClose,
    OutputOpen,
    OutputClose,
    Name,
    String,
    Integer,
    Operator,
}
